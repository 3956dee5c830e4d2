/**
 * The campaign dashboard at /admin: three server-rendered pages (the list, one campaign, the one-off
 * messages), their
 * script and stylesheet, the read-only JSON bridge they refresh from, and the pause / resume /
 * cancel buttons' POSTs.
 *
 * Its own Fastify scope, so its hooks touch nothing else (the job board at /admin/queues has its
 * own): routes are marked public for the API's Bearer-only hook and authenticated here instead
 * (Basic or Bearer, see admin-credential.ts); every answer carries the security headers.
 *
 * Who sees what: any key with `read` sees the pages; the buttons are rendered, and their POSTs
 * accepted, only for keys with `admin` — and a POST must also carry the page's CSRF token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getCampaign, listCampaigns } from '../campaigns/campaign-queries.js';
import { cancelCampaign } from '../campaigns/lifecycle/cancel-campaign.js';
import type { LifecycleDeps } from '../campaigns/lifecycle/lifecycle-deps.js';
import { pauseCampaign } from '../campaigns/lifecycle/pause-campaign.js';
import { resumeCampaign } from '../campaigns/lifecycle/resume-campaign.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { PrismaClient } from '../db/prisma.js';
import { AppError } from '../errors/index.js';
import { ADMIN_SECURITY_HEADERS } from './security-headers.js';
import { adminAuthHook, refuseAdmin } from './admin-credential.js';
import { ADMIN_ACTIONS, ADMIN_API_PREFIX, ADMIN_ASSET_PREFIX, ADMIN_PREFIX, HIDDEN, type AdminAction } from './admin-paths.js';
import { ADMIN_CSS, ADMIN_ICON_SVG } from './admin-styles.js';
import { registerApiBridge } from './api-bridge.js';
import { CSRF_HEADER, csrfToken, newSessionId, sessionCookie, sessionFromCookies, validCsrfToken } from './csrf.js';
import { dashboardScript } from './dashboard-asset.js';
import { renderDetailMain } from './detail-page.js';
import { renderListMain } from './list-page.js';
import { renderMessagesMain } from './message-list-page.js';
import { listMessages } from '../messages/message-queries.js';
import { renderPage, type PageFrame } from './page-layout.js';

/** How many campaigns the list shows (the newest). */
export const DASHBOARD_PAGE_SIZE = 50;

export interface DashboardDeps extends LifecycleDeps {
  prisma: PrismaClient;
  authenticator: Authenticator;
}

const ACTIONS: Record<AdminAction, (deps: LifecycleDeps, id: string) => Promise<{ status: string }>> = {
  pause: pauseCampaign,
  resume: resumeCampaign,
  cancel: cancelCampaign,
};

function canAct(request: FastifyRequest): boolean {
  return request.apiKey?.scopes.includes('admin') === true;
}

/**
 * The CSRF token for this page view: the browser's session cookie, or a new one set on this
 * answer, signed with the caller's key.
 */
function pageToken(request: FastifyRequest, reply: FastifyReply): string {
  let session = sessionFromCookies(request.headers.cookie);
  if (session === undefined) {
    session = newSessionId();
    reply.header('set-cookie', sessionCookie(session, request.protocol === 'https'));
  }
  return csrfToken(request.adminCredential!, session);
}

function sendPage(request: FastifyRequest, reply: FastifyReply, frame: Omit<PageFrame, 'apiBase' | 'canAct' | 'csrfToken' | 'signedInAs'>): FastifyReply {
  const key = request.apiKey!;
  const html = renderPage({
    ...frame,
    apiBase: ADMIN_API_PREFIX,
    canAct: canAct(request),
    csrfToken: pageToken(request, reply),
    signedInAs: `${key.name} (${key.scopes.join(', ')})`,
  });
  return reply.type('text/html; charset=utf-8').send(html);
}

export function dashboardRoutes(deps: DashboardDeps) {
  const log = deps.log.child({ module: 'dashboard' });
  return async (scope: FastifyInstance): Promise<void> => {
    // Public for the API's Bearer-only hook; this scope authenticates with Basic or Bearer below.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    scope.addHook('onRequest', adminAuthHook(deps.authenticator));
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(ADMIN_SECURITY_HEADERS);
      return payload;
    });

    scope.get(ADMIN_PREFIX, HIDDEN, async (request, reply) => {
      const page = await listCampaigns(deps.prisma, { limit: DASHBOARD_PAGE_SIZE });
      return sendPage(request, reply, { title: 'Campaigns', view: 'list', main: renderListMain(page.items, canAct(request)) });
    });
    scope.get(`${ADMIN_PREFIX}/`, HIDDEN, async (_request, reply) => reply.redirect(ADMIN_PREFIX));

    scope.get(`${ADMIN_PREFIX}/messages`, HIDDEN, async (request, reply) => {
      const page = await listMessages(deps.prisma, { limit: DASHBOARD_PAGE_SIZE });
      return sendPage(request, reply, { title: 'Messages', view: 'messages', main: renderMessagesMain(page.items) });
    });

    scope.get(`${ADMIN_PREFIX}/campaigns/:id`, HIDDEN, async (request, reply) => {
      const { id } = request.params as { id: string };
      const campaign = await getCampaign(deps.prisma, id, deps.now());
      return sendPage(request, reply, { title: campaign.name, view: 'detail', campaignId: campaign.id, main: renderDetailMain(campaign, canAct(request)) });
    });

    scope.get(`${ADMIN_ASSET_PREFIX}/dashboard.js`, HIDDEN, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(dashboardScript()),
    );
    scope.get(`${ADMIN_ASSET_PREFIX}/admin.css`, HIDDEN, async (_request, reply) => reply.type('text/css; charset=utf-8').send(ADMIN_CSS));
    scope.get(`${ADMIN_ASSET_PREFIX}/icon.svg`, HIDDEN, async (_request, reply) => reply.type('image/svg+xml').send(ADMIN_ICON_SVG));

    registerApiBridge(scope);

    scope.post(`${ADMIN_PREFIX}/campaigns/:id/:action`, HIDDEN, async (request, reply) => {
      const { id, action } = request.params as { id: string; action: string };
      if (!(ADMIN_ACTIONS as readonly string[]).includes(action)) {
        throw new AppError('NOT_FOUND', `no route POST ${ADMIN_PREFIX}/campaigns/:id/${action}`);
      }
      // Scope before token: a read-only key is refused for what it is, whatever it sends.
      if (!canAct(request)) return refuseAdmin(reply, 'FORBIDDEN', `${action} needs an API key with the "admin" scope`);
      const header = request.headers[CSRF_HEADER];
      const presented = typeof header === 'string' ? header : undefined;
      if (!validCsrfToken(request.adminCredential!, sessionFromCookies(request.headers.cookie), presented)) {
        throw new AppError('CSRF_TOKEN_INVALID', `send the page's CSRF token in the ${CSRF_HEADER} header, with the session cookie it was issued for; reload the page for a fresh one`);
      }
      const scoped = { ...deps, log: log.child({ reqId: request.id, keyId: request.apiKey!.id }) };
      const answer = await ACTIONS[action as AdminAction](scoped, id);
      scoped.log.info({ campaignId: id, action, status: answer.status }, 'campaign changed from the dashboard');
      return answer;
    });
  };
}
