/**
 * What operators use beyond the campaign API: the dashboard at /admin (src/admin/dashboard-routes.ts)
 * and two read-scope JSON routes it and the CLI need —
 * - GET /v1/campaigns/:id/timeline?seconds=300: sends per second over the recent past, for the
 *   dashboard's plot (one GROUP BY over the ledger's (campaign_id, sent_at) index);
 * - GET /v1/queues: jobs per state and the oldest waiting job's age per queue, for `cli queues`
 *   (the same bounded Redis reads as the Prometheus gauges, as JSON a script can use).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Queue } from 'bullmq';
import { Type } from 'typebox';
import type pg from 'pg';
import { DEFAULT_TIMELINE_SECONDS, MAX_TIMELINE_SECONDS, readCampaignTimeline } from '../../admin/campaign-timeline.js';
import { dashboardRoutes, type DashboardDeps } from '../../admin/dashboard-routes.js';
import { HEALTH_STATES, readQueueHealth } from '../../admin/queue-health.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams, Nullable } from '../schemas/common-schemas.js';

export interface AdminRoutesDeps extends DashboardDeps {
  pool: pg.Pool;
  /** The queues GET /v1/queues reports (the API's job-board queues). */
  adminQueues: readonly Queue[];
}

const TimelineQuery = Type.Object({
  seconds: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_TIMELINE_SECONDS, default: DEFAULT_TIMELINE_SECONDS, description: 'How far back the timeline reaches.' }),
  ),
});

const TimelineBody = Type.Object({
  campaign_id: Type.String(),
  from: Type.String({ format: 'date-time' }),
  until: Type.String({ format: 'date-time', description: 'Now, by the API’s clock.' }),
  bucket_seconds: Type.Literal(1),
  buckets: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), sent: Type.Integer({ minimum: 1 }) }), {
    description: 'Seconds with at least one send (by sent_at), oldest first; seconds left out had none.',
  }),
});

const QueueHealthBody = Type.Object({
  queues: Type.Array(
    Type.Object({
      name: Type.String(),
      counts: Nullable(Type.Object(Object.fromEntries(HEALTH_STATES.map((s) => [s, Type.Integer({ minimum: 0 })])))),
      oldest_waiting_age_seconds: Nullable(Type.Number({ minimum: 0, description: 'Age of the oldest waiting job; 0 when none waits.' })),
      error: Type.Optional(Type.String({ description: 'Why the queue could not be read (counts and age are null then).' })),
    }),
  ),
});

export function adminRoutes(deps: AdminRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/campaigns/:id/timeline',
      {
        config: { scope: 'read' },
        schema: {
          description: 'Sends per second of one campaign over the last `seconds` (default 300), by sent_at.',
          params: IdParams,
          querystring: TimelineQuery,
          response: { 200: TimelineBody, 404: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request) =>
        readCampaignTimeline(deps.pool, request.params.id, { seconds: request.query.seconds ?? DEFAULT_TIMELINE_SECONDS, now: deps.now() }),
    );

    app.get(
      '/v1/queues',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['observability'],
          description: 'Jobs per state and the age of the oldest waiting job, per queue; a queue Redis cannot answer for within 2 s is listed with its error.',
          response: { 200: QueueHealthBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async () => ({ queues: await readQueueHealth(deps.adminQueues, { now: deps.now() }) }),
    );

    await app.register(dashboardRoutes(deps));
  };
}
