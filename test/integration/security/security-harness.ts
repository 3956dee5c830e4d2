/**
 * The whole API for the security and hostile-input tests: a fresh schema, a queue prefix, the real
 * buildApp with a provider registry (so the file and template routes exist), keys per scope, and a
 * logger whose lines are kept in memory so tests can prove what never reaches the logs.
 * `close()` releases everything, so jest exits on its own.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../../src/api/build-app.js';
import { createApiKey, type Scope } from '../../../src/auth/api-keys.js';
import { createAuthenticator } from '../../../src/auth/authenticator.js';
import { loadConfig, type Config } from '../../../src/config/config.js';
import { REDACTED_PATHS, type Logger } from '../../../src/observability/logger.js';
import { createProviderRegistry, type ProviderRegistry } from '../../../src/providers/registry.js';
import { createQueues, type Queues } from '../../../src/queue/queues.js';
import { createMemorySharedStore } from '../../fixtures/memory-shared-store.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';

export interface SecurityHarness {
  app: FastifyInstance;
  db: TestDatabase;
  redis: TestRedis;
  queues: Queues;
  providers: ProviderRegistry;
  config: Config;
  /** A key with every scope. */
  key: string;
  /** Every log line written so far, as text. */
  logText(): string;
  newKey(scopes: Scope[]): Promise<{ id: string; key: string }>;
  /** app.inject with the harness key unless headers say otherwise. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A logger at debug level writing JSON lines into `lines`, with the production redaction. */
function capturingLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
}

export async function createSecurityHarness(label: string, options: { config?: Partial<Config> } = {}): Promise<SecurityHarness> {
  const db = await createTestDatabase(label);
  const redis = await createTestRedis(label);
  const queues = createQueues(redis.redis, redis.prefix);
  const config: Config = { ...loadConfig({}), ...options.config };
  const lines: string[] = [];
  const log = capturingLogger(lines);
  const providers = createProviderRegistry({ store: createMemorySharedStore(), userAgent: 'campaign-dispatch-test/0.1', log });
  let app: FastifyInstance | undefined;
  let key: string;
  try {
    // No auth cache: a revoked key must be refused on the very next request in these tests.
    const authenticator = createAuthenticator({ prisma: db.prisma, log, ttlMs: 0 });
    app = await buildApp({ prisma: db.prisma, pool: db.pool, queues, config, log, providers, authenticator });
    key = (await createApiKey(db.prisma, 'security-test')).key;
  } catch (err) {
    // A half-built harness must not keep jest alive (Postgres may be out of connections).
    await Promise.allSettled([app?.close(), providers.close(), queues.close()]);
    await Promise.allSettled([redis.close(), db.close()]);
    throw err;
  }
  return {
    app,
    db,
    redis,
    queues,
    providers,
    config,
    key,
    logText: () => lines.join(''),
    newKey: async (scopes) => {
      const created = await createApiKey(db.prisma, `scoped-${scopes.join('-')}`, scopes);
      return { id: created.id, key: created.key };
    },
    request(opts) {
      return app.inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } });
    },
    async close() {
      await app.close();
      await providers.close();
      await queues.close();
      await redis.close();
      await db.close();
    },
  };
}

/** Everything a request could write, as one row of counts (one query). */
export async function writeCounts(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM channels) AS channels,
            (SELECT count(*) FROM campaigns) AS campaigns,
            (SELECT count(*) FROM campaign_recipients) AS recipients,
            (SELECT count(*) FROM phonebooks) AS phonebooks,
            (SELECT count(*) FROM contacts) AS contacts,
            (SELECT count(*) FROM suppressions) AS suppressions,
            (SELECT count(*) FROM conversation_windows) AS windows,
            (SELECT count(*) FROM api_keys) AS api_keys,
            (SELECT coalesce(sum(hashtext(status::text || updated_at::text)), 0) FROM campaigns) AS campaign_states`,
  );
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
}
