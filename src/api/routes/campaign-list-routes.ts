/**
 * GET /v1/campaigns (read scope): the campaigns newest first, filtered by status, a page at a time.
 * For the admin page and the CLI; each item is a summary — the full view with counts and progress
 * is GET /v1/campaigns/:id.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PrismaClient } from '../../db/prisma.js';
import { listCampaigns } from '../../campaigns/campaign-queries.js';
import { AUTHENTICATED_ERRORS } from '../schemas/common-schemas.js';
import { CampaignListQuery, CampaignPageBody } from '../schemas/progress-schemas.js';

export const DEFAULT_CAMPAIGN_PAGE = 50;

export function campaignListRoutes(deps: { prisma: PrismaClient }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/campaigns',
      {
        config: { scope: 'read' },
        schema: { querystring: CampaignListQuery, response: { 200: CampaignPageBody, ...AUTHENTICATED_ERRORS } },
      },
      async (request) =>
        listCampaigns(deps.prisma, {
          status: request.query.status,
          cursor: request.query.cursor,
          limit: request.query.limit ?? DEFAULT_CAMPAIGN_PAGE,
        }),
    );
  };
}
