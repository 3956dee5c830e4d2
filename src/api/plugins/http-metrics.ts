/**
 * campaign_dispatch_http_request_duration_seconds{method, route, status_code}: every API answer,
 * timed by Fastify from the request's arrival to the last byte written.
 *
 * `route` is the route's template (`/v1/campaigns/:id`), never the URL — ids in URLs would make a
 * series per campaign — and `unmatched` for requests no route took (scanners, typos).
 */
import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../../observability/metrics.js';

/** Call on the root instance, before the routes, so the hook sees every route. */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'API requests by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
