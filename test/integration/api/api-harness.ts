/**
 * One API under test: a fresh migrated schema, a unique BullMQ prefix, the real app, and a key.
 * `close()` releases all of it, so jest exits on its own.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../../src/api/build-app.js';
import { createApiKey, type Scope } from '../../../src/auth/api-keys.js';
import { loadConfig, type Config } from '../../../src/config/config.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createQueues, type Queues } from '../../../src/queue/queues.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';

export interface ApiHarness {
  app: FastifyInstance;
  db: TestDatabase;
  redis: TestRedis;
  queues: Queues;
  key: string;
  /** app.inject with the harness key unless headers say otherwise. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createApiHarness(
  label: string,
  options: { config?: Partial<Config>; now?: () => Date; scopes?: Scope[] } = {},
): Promise<ApiHarness> {
  const db = await createTestDatabase(label);
  const redis = await createTestRedis(label);
  const queues = createQueues(redis.redis, redis.prefix);
  const config: Config = { ...loadConfig({}), ...options.config };
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });
  const app = await buildApp({ prisma: db.prisma, pool: db.pool, queues, config, log, now: options.now });
  const { key } = await createApiKey(db.prisma, 'test', options.scopes);
  return {
    app,
    db,
    redis,
    queues,
    key,
    request(opts) {
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

/** A channel row inserted directly (the channel routes have their own tests). */
export async function insertChannel(db: TestDatabase, kind: 'sms' | 'whatsapp' | 'facebook' = 'whatsapp'): Promise<string> {
  const row = await db.prisma.channel.create({
    data: {
      name: `${kind} channel`,
      provider: 'connectly',
      kind,
      senderId: '+15550000000',
      settings: { businessId: 'b-1' },
      credentials: { apiKey: 'secret' },
    },
  });
  return row.id;
}

/** Row counts that invalid requests must leave unchanged. */
export async function rowCounts(db: TestDatabase): Promise<{ campaigns: number; recipients: number; channels: number }> {
  const [campaigns, recipients, channels] = await Promise.all([
    db.prisma.campaign.count(),
    db.prisma.recipient.count(),
    db.prisma.channel.count(),
  ]);
  return { campaigns, recipients, channels };
}
