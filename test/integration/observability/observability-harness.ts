/**
 * The API as main.ts builds it — with its Redis connection, both queues on the job board and a
 * registry the test can add to — on a fresh schema and queue prefix, plus one key per scope set.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Registry } from 'prom-client';
import { buildApp } from '../../../src/api/build-app.js';
import { createApiKey } from '../../../src/auth/api-keys.js';
import { loadConfig, type Config } from '../../../src/config/config.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import { createQueues, type Queues } from '../../../src/queue/queues.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';

export interface ObservabilityHarness {
  app: FastifyInstance;
  db: TestDatabase;
  redis: TestRedis;
  queues: Queues;
  registry: Registry;
  keys: { read: string; send: string; admin: string };
  /** app.inject with `Authorization: Bearer <key>` (the read key unless told otherwise). */
  request(options: InjectOptions, key?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createObservabilityHarness(
  label: string,
  options: { now?: () => Date; config?: Partial<Config> } = {},
): Promise<ObservabilityHarness> {
  const db = await createTestDatabase(label);
  const redis = await createTestRedis(label);
  const queues = createQueues(redis.redis, redis.prefix);
  const registry = createMetricsRegistry({ service: 'api' });
  const app = await buildApp({
    prisma: db.prisma,
    pool: db.pool,
    queues,
    config: { ...loadConfig({}), ...options.config },
    log: testLogger(),
    now: options.now,
    redis: redis.redis,
    queuesForAdmin: [queues.launch, queues.send],
    metricsRegistry: registry,
  });
  const keys = {
    read: (await createApiKey(db.prisma, 'reader', ['read'])).key,
    send: (await createApiKey(db.prisma, 'sender', ['send'])).key,
    admin: (await createApiKey(db.prisma, 'admin', ['read', 'send', 'admin'])).key,
  };
  return {
    app,
    db,
    redis,
    queues,
    registry,
    keys,
    request(opts, key = keys.read) {
      return app.inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } });
    },
    async close() {
      await app.close();
      await queues.close();
      await redis.close();
      await db.close();
    },
  };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text format into samples (enough for the assertions here: no escapes in label values). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').match(/[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"/g) ?? []) {
      const eq = pair.indexOf('=');
      labels[pair.slice(0, eq)] = pair.slice(eq + 2, -1);
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample with this name whose labels include `labels`; undefined if none. */
export function sampleValue(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
