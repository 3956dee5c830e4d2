/**
 * Campaign routes: create (send scope), read (read scope), launch (send scope), and the ledger
 * (read scope). The routes only translate HTTP; the rules live in src/campaigns.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CreateCampaignDeps } from '../../campaigns/create-campaign.js';
import { createCampaign } from '../../campaigns/create-campaign.js';
import { getCampaign, listRecipients } from '../../campaigns/campaign-queries.js';
import { launchCampaign } from '../../campaigns/launch-campaign.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams } from '../schemas/common-schemas.js';
import {
  CampaignBody,
  CreateCampaignBody,
  CreatedCampaignBody,
  LaunchedCampaignBody,
  RecipientPageBody,
  RecipientsQuery,
} from '../schemas/campaign-schemas.js';

export const DEFAULT_RECIPIENT_PAGE = 100;

export function campaignRoutes(deps: CreateCampaignDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'campaign-routes' });
  return async (app) => {
    app.post(
      '/v1/campaigns',
      {
        config: { scope: 'send' },
        schema: { body: CreateCampaignBody, response: { 201: CreatedCampaignBody, ...AUTHENTICATED_ERRORS } },
      },
      async (request, reply) => {
        const created = await createCampaign({ ...deps, log: log.child({ reqId: request.id }) }, request.body);
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/v1/campaigns/:id',
      { config: { scope: 'read' }, schema: { params: IdParams, response: { 200: CampaignBody, 404: ErrorBody, ...AUTHENTICATED_ERRORS } } },
      async (request) => getCampaign(deps.prisma, request.params.id, deps.now()),
    );

    app.post(
      '/v1/campaigns/:id/launch',
      {
        config: { scope: 'send' },
        schema: { params: IdParams, response: { 200: LaunchedCampaignBody, 404: ErrorBody, 409: ErrorBody, ...AUTHENTICATED_ERRORS } },
      },
      async (request) => launchCampaign({ ...deps, log: log.child({ reqId: request.id }) }, request.params.id),
    );

    app.get(
      '/v1/campaigns/:id/recipients',
      {
        config: { scope: 'read' },
        schema: { params: IdParams, querystring: RecipientsQuery, response: { 200: RecipientPageBody, 404: ErrorBody, ...AUTHENTICATED_ERRORS } },
      },
      async (request) =>
        listRecipients(deps.prisma, request.params.id, {
          status: request.query.status,
          cursor: request.query.cursor,
          limit: request.query.limit ?? DEFAULT_RECIPIENT_PAGE,
        }),
    );
  };
}
