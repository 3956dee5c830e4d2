/**
 * The BullMQ job board (bull-board) at /admin/queues, behind the API's keys. bull-board has no
 * authentication of its own, so every one of its routes — page, JSON API, static assets — passes
 * through the hook below.
 *
 * Credentials: `Authorization: Bearer <key>` for scripts, or HTTP Basic for browsers (any user
 * name, the API key as password). A request without valid credentials gets 401 with
 * `WWW-Authenticate: Basic`, so a browser shows its login prompt instead of an error page.
 *
 * Read-only unless the key has the `admin` scope. bull-board's own `readOnlyMode` is fixed per
 * queue when the board is built, and one board serves every caller; so the board is built
 * writable and read-only is applied per request, in two places:
 * - enforcement: a key without `admin` may only GET (every bull-board action is a PUT, POST or
 *   PATCH) — anything else is 403 before bull-board sees it;
 * - display: the queue list such a key reads says `readOnlyMode: true` (and no retries), which is
 *   what makes the UI hide its action buttons.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Authenticator } from '../../auth/authenticator.js';
import { ERROR_CODES, type ErrorCode } from '../../errors/index.js';
import { boardCredential } from './board-credential.js';

export const BOARD_PREFIX = '/admin/queues';
const BASIC_CHALLENGE = 'Basic realm="campaign-dispatch job board", charset="UTF-8"';
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export interface BullBoardDeps {
  queues: readonly Queue[];
  authenticator: Authenticator;
}

function refuse(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  if (code === 'UNAUTHENTICATED') reply.header('www-authenticate', BASIC_CHALLENGE);
  return reply.code(ERROR_CODES[code].status).send({ error: { code, message } });
}

interface QueueListAnswer {
  queues?: { readOnlyMode?: boolean; allowRetries?: boolean; allowCompletedRetries?: boolean }[];
}

/** Mounts the board for `deps.queues` on the root instance. */
export async function registerBullBoard(app: FastifyInstance, deps: BullBoardDeps): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PREFIX);
  createBullBoard({
    queues: deps.queues.map((queue) => new BullMQAdapter(queue)),
    // @bull-board/fastify pins its own (patch-older) @bull-board/api, whose adapter types are
    // declared separately though identical; the runtime contract is the same.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'campaign-dispatch' } },
  });
  const queueListUrl = `${BOARD_PREFIX}/api/queues`;

  await app.register(async (scope) => {
    // The API's bearer-only hook skips public routes; the board authenticates on its own below.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });

    scope.addHook('onRequest', async (request, reply) => {
      const key = await deps.authenticator.authenticate(boardCredential(request.headers.authorization));
      if (!key) return refuse(reply, 'UNAUTHENTICATED', 'sign in with an API key as the password (any user name), or send "Authorization: Bearer <key>"');
      if (!key.scopes.includes('read')) return refuse(reply, 'FORBIDDEN', 'this API key lacks the "read" scope');
      if (!READ_METHODS.has(request.method) && !key.scopes.includes('admin')) {
        return refuse(reply, 'FORBIDDEN', 'the job board is read-only for keys without the "admin" scope');
      }
      request.apiKey = key;
      return undefined;
    });

    scope.addHook('preSerialization', async (request, _reply, payload: unknown) => {
      if (request.routeOptions.url !== queueListUrl || request.apiKey?.scopes.includes('admin')) return payload;
      for (const queue of (payload as QueueListAnswer).queues ?? []) {
        queue.readOnlyMode = true;
        queue.allowRetries = false;
        queue.allowCompletedRetries = false;
      }
      return payload;
    });

    await scope.register(serverAdapter.registerPlugin(), { prefix: BOARD_PREFIX });
  });
}
