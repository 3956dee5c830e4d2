/**
 * Campaign lifecycle routes (send scope): pause, resume, cancel, PATCH of a draft or scheduled
 * campaign, and resend-to-failed. The routes translate HTTP only; the rules live in
 * src/campaigns/status-machine.ts and src/campaigns/lifecycle.
 *
 * Answers: 200 with the campaign's state and counts (pause, resume, cancel), 200 with the campaign
 * (PATCH), 201 with the new campaign (resend-failed); 404 CAMPAIGN_NOT_FOUND; 409
 * CAMPAIGN_STATE_CONFLICT with the current status in error.details.status, or CAMPAIGN_EXPIRED.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PrismaClient } from '../../db/prisma.js';
import { cancelCampaign } from '../../campaigns/lifecycle/cancel-campaign.js';
import type { LifecycleDeps } from '../../campaigns/lifecycle/lifecycle-deps.js';
import { pauseCampaign } from '../../campaigns/lifecycle/pause-campaign.js';
import { resendFailed } from '../../campaigns/lifecycle/resend-failed.js';
import { resumeCampaign } from '../../campaigns/lifecycle/resume-campaign.js';
import { updateCampaign } from '../../campaigns/lifecycle/update-campaign.js';
import { CampaignBody } from '../schemas/campaign-schemas.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams } from '../schemas/common-schemas.js';
import {
  CancelledCampaignBody,
  LifecycleAnswerBody,
  ResendFailedBody,
  ResentCampaignBody,
  UpdateCampaignBody,
} from '../schemas/lifecycle-schemas.js';

export type LifecycleRouteDeps = LifecycleDeps & { prisma: PrismaClient };

const STATE_ERRORS = { 404: ErrorBody, 409: ErrorBody, ...AUTHENTICATED_ERRORS } as const;

export function lifecycleRoutes(deps: LifecycleRouteDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'lifecycle-routes' });
  return async (app) => {
    const scoped = (reqId: string) => ({ ...deps, log: log.child({ reqId }) });

    app.post(
      '/v1/campaigns/:id/pause',
      { config: { scope: 'send' }, schema: { params: IdParams, response: { 200: LifecycleAnswerBody, ...STATE_ERRORS } } },
      async (request) => pauseCampaign(scoped(request.id), request.params.id),
    );

    app.post(
      '/v1/campaigns/:id/resume',
      { config: { scope: 'send' }, schema: { params: IdParams, response: { 200: LifecycleAnswerBody, ...STATE_ERRORS } } },
      async (request) => resumeCampaign(scoped(request.id), request.params.id),
    );

    app.post(
      '/v1/campaigns/:id/cancel',
      { config: { scope: 'send' }, schema: { params: IdParams, response: { 200: CancelledCampaignBody, ...STATE_ERRORS } } },
      async (request) => cancelCampaign(scoped(request.id), request.params.id),
    );

    app.patch(
      '/v1/campaigns/:id',
      {
        config: { scope: 'send' },
        schema: { params: IdParams, body: UpdateCampaignBody, response: { 200: CampaignBody, ...STATE_ERRORS } },
      },
      async (request) => updateCampaign(scoped(request.id), request.params.id, request.body),
    );

    app.post(
      '/v1/campaigns/:id/resend-failed',
      {
        config: { scope: 'send' },
        schema: { params: IdParams, body: ResendFailedBody, response: { 201: ResentCampaignBody, ...STATE_ERRORS } },
        // The body is optional: every field has a default.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request, reply) => reply.code(201).send(await resendFailed(scoped(request.id), request.params.id, request.body)),
    );
  };
}
