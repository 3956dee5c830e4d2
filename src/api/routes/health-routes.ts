/**
 * Probes, without authentication (load balancers and orchestrators carry no API key):
 * - GET /healthz, liveness: the process answers. Checks nothing else, so an outage of Postgres or
 *   Redis never gets the API restarted in a loop.
 * - GET /readyz, readiness: Postgres, Redis and the schema are usable (src/health/readiness.ts);
 *   503 naming the failed check otherwise, so traffic goes elsewhere until it recovers.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ReadinessReport } from '../../health/readiness.js';
import type { Logger } from '../../observability/logger.js';

export const HealthBody = Type.Object({ status: Type.Literal('ok') });

const CheckStates = Type.Record(Type.String(), Type.Enum(['ok', 'failed']), {
  description: 'Each check by name: postgres, redis, migrations.',
});

export const ReadyBody = Type.Object({
  status: Type.Literal('ready'),
  checks: CheckStates,
});

export const NotReadyBody = Type.Object({
  status: Type.Literal('not_ready'),
  checks: CheckStates,
  errors: Type.Record(Type.String(), Type.String(), { description: 'Why each failed check failed.' }),
});

export interface HealthRoutesDeps {
  readiness: () => Promise<ReadinessReport>;
  log: Logger;
}

export function healthRoutes(deps: HealthRoutesDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'health-routes' });
  // Probes come every few seconds: log when readiness changes, not on every failed probe.
  let lastReady = true;
  const note = (report: ReadinessReport): void => {
    if (report.ready !== lastReady) {
      if (report.ready) log.info('ready again');
      else log.warn({ errors: report.errors }, 'not ready');
    }
    lastReady = report.ready;
  };
  return async (app) => {
    app.get(
      '/healthz',
      { config: { public: true }, schema: { tags: ['health'], summary: 'Liveness', response: { 200: HealthBody } } },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        config: { public: true },
        schema: { tags: ['health'], summary: 'Readiness: Postgres, Redis, migrations', response: { 200: ReadyBody, 503: NotReadyBody } },
      },
      async (_request, reply) => {
        const report = await deps.readiness();
        note(report);
        if (report.ready) return reply.code(200).send({ status: 'ready' as const, checks: report.checks });
        return reply.code(503).send({ status: 'not_ready' as const, checks: report.checks, errors: report.errors });
      },
    );
  };
}
