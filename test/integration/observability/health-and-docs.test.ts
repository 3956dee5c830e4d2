/**
 * /healthz and /readyz (including a database whose schema is behind), the worker's health server,
 * and the OpenAPI description: every route the app registers is in /docs/json, with a schema.
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../../src/api/build-app.js';
import { loadConfig } from '../../../src/config/config.js';
import { createPool } from '../../../src/db/connection.js';
import { MIGRATIONS_DIR } from '../../../src/db/paths.js';
import { createPrisma } from '../../../src/db/prisma.js';
import { startHealthServer } from '../../../src/health/health-server.js';
import { standardChecks } from '../../../src/health/readiness.js';
import { createDispatchMetrics } from '../../../src/observability/dispatch-metrics.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import { createQueues } from '../../../src/queue/queues.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { schemaUrl, TEST_DATABASE_BASE_URL } from '../../helpers/database.js';
import { createObservabilityHarness, parseMetrics, sampleValue, type ObservabilityHarness } from './observability-harness.js';

let h: ObservabilityHarness;

beforeAll(async () => {
  h = await createObservabilityHarness('obs_health');
});
afterAll(async () => {
  await h.close();
});

describe('probes', () => {
  test('/healthz and /readyz answer without an API key', async () => {
    const live = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });

    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } });
  });

  test('/readyz is 503 naming migrations when the schema has pending migrations', async () => {
    const schema = `obs_empty_${randomBytes(4).toString('hex')}`;
    const admin = createPool(TEST_DATABASE_BASE_URL, 1);
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const pool = createPool(schemaUrl(schema), 2);
    const prisma = createPrisma(schemaUrl(schema), 2);
    const queues = createQueues(h.redis.redis, h.redis.prefix);
    const app = await buildApp({ prisma, pool, queues, config: loadConfig({}), log: testLogger(), redis: h.redis.redis });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body.status).toBe('not_ready');
      expect(body.checks).toEqual({ postgres: 'ok', redis: 'ok', migrations: 'failed' });
      expect(body.errors.migrations).toMatch(/pending migration.*_init/);
    } finally {
      await app.close();
      await queues.close();
      await prisma.$disconnect();
      await pool.end();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });
});

describe('the worker health server', () => {
  test('serves /healthz, /readyz and /metrics on its own port, and 503 when a check fails', async () => {
    const registry = createMetricsRegistry({ service: 'worker' });
    createDispatchMetrics(registry).retryScheduled('yeastar', 'retryable');
    const checks = standardChecks({ pool: h.db.pool, redis: h.redis.redis, migrationsDir: MIGRATIONS_DIR });
    const failing = { name: 'workers', run: () => Promise.reject(new Error('send worker is not running')) };
    const ok = await startHealthServer({ port: 0, host: '127.0.0.1', registry, checks, log: testLogger() });
    const bad = await startHealthServer({ port: 0, host: '127.0.0.1', registry, checks: [...checks, failing], log: testLogger() });
    try {
      const base = `http://127.0.0.1:${ok.port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      const samples = parseMetrics(await metrics.text());
      expect(sampleValue(samples, 'campaign_dispatch_send_retries_total', { provider: 'yeastar', error_class: 'retryable', service: 'worker' })).toBe(1);
      expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect((await fetch(`${base}/nope`)).status).toBe(404);

      const notReady = await fetch(`http://127.0.0.1:${bad.port}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        status: 'not_ready',
        checks: { postgres: 'ok', redis: 'ok', migrations: 'ok', workers: 'failed' },
        errors: { workers: 'send worker is not running' },
      });
    } finally {
      await ok.close();
      await bad.close();
    }
  });
});

describe('OpenAPI', () => {
  /** Fastify's `/v1/campaigns/:id` is OpenAPI's `/v1/campaigns/{id}`. */
  const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

  test('every registered route is in /docs/json with its method and a described answer', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }>; security?: unknown[] }>> };
    expect(doc.openapi).toBe('3.1.0');

    // HEAD routes are Fastify's automatic twins of the GET routes; hidden routes are /docs and the job board.
    const routes = h.app.routeInventory.filter((r) => !r.hidden && r.method !== 'HEAD');
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /v1/campaigns', 'GET /v1/campaigns/:id', 'POST /v1/channels']),
    );
    const missing: string[] = [];
    const undescribed: string[] = [];
    for (const route of routes) {
      const operation = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      if (!operation) {
        missing.push(`${route.method} ${route.url}`);
        continue;
      }
      // A route without a response schema gets only @fastify/swagger's placeholder: a 200 with no content.
      const described = Object.entries(operation.responses ?? {}).some(([status, r]) => /^2/.test(status) && (r.content !== undefined || status === '204'));
      if (!described) undescribed.push(`${route.method} ${route.url}`);
    }
    expect(missing).toEqual([]);
    expect(undescribed).toEqual([]);

    expect(Object.keys(doc.paths).some((p) => p.startsWith('/admin/queues') || p.startsWith('/docs'))).toBe(false);
    expect(doc.paths['/readyz']?.get?.security).toEqual([]);
    expect(doc.paths['/v1/campaigns/{id}']?.get?.security).toBeUndefined();
  });

  test('/docs is a browsable page without an API key', async () => {
    let res = await h.app.inject({ method: 'GET', url: '/docs' });
    if (res.statusCode === 302) res = await h.app.inject({ method: 'GET', url: String(res.headers.location) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
