/**
 * GET /metrics: the process's registry in Prometheus text format.
 *
 * Not behind an API key: Prometheus scrapes with a static bearer token at most, and giving it a
 * key would let it read campaigns too. When METRICS_TOKEN is set the scrape must send
 * `Authorization: Bearer <METRICS_TOKEN>` (prometheus.yml `authorization: { credentials: … }`);
 * unset, the endpoint is open — keep it on a private network then.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { AppError } from '../../errors/index.js';
import { bearerToken } from '../auth-hook.js';
import { ErrorBody } from '../schemas/common-schemas.js';

export interface MetricsRoutesDeps {
  registry: Registry;
  /** When set, the bearer token a scrape must present. */
  token?: string;
}

/** Constant-time comparison, so the token cannot be guessed a byte at a time from response times. */
function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsRoutes(deps: MetricsRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/metrics',
      {
        config: { public: true },
        schema: {
          tags: ['observability'],
          summary: 'Prometheus metrics',
          description: 'Prometheus text exposition format. Needs `Authorization: Bearer <METRICS_TOKEN>` when the server sets METRICS_TOKEN.',
          response: {
            200: { description: 'The metrics', content: { 'text/plain': { schema: Type.String() } } },
            401: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        if (deps.token !== undefined && !sameToken(bearerToken(request.headers.authorization), deps.token)) {
          throw new AppError('UNAUTHENTICATED', 'send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
        }
        const text = await deps.registry.metrics();
        return reply.type(deps.registry.contentType).send(text);
      },
    );
  };
}
