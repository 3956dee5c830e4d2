/**
 * The API process's composition root: configuration, logger, Postgres, Redis, queues, the app;
 * then listen, and on SIGTERM/SIGINT stop taking requests, finish those in flight, close the rest.
 *
 * Postgres and Redis are checked before listening: if either cannot be reached the process prints
 * what to do (explainUnreachable) and exits 1, rather than accepting requests it cannot serve.
 */
import type { Redis } from 'ioredis';
import { loadConfig } from '../config/config.js';
import { createPool } from '../db/connection.js';
import { createPrisma } from '../db/prisma.js';
import { explainUnreachable } from '../db/unreachable.js';
import { createLogger } from '../observability/logger.js';
import { createRedis } from '../queue/connection.js';
import { createQueues } from '../queue/queues.js';
import { createRedisSharedStore } from '../queue/redis-shared-store.js';
import { createProviderRegistry } from '../providers/registry.js';
import { buildApp } from './build-app.js';

/**
 * Connects to Redis once, failing fast. The error is re-labelled as Redis's so the advice names
 * the right server whatever port it listens on.
 */
async function connectRedis(redis: Redis, redisUrl: string): Promise<void> {
  try {
    // The first 'error' event carries the cause (ECONNREFUSED…); connect()'s own rejection only
    // says "Connection is closed" once ioredis has given up.
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        redis.off('ready', onReady);
        reject(err);
      };
      const onReady = () => {
        redis.off('error', onError);
        resolve();
      };
      redis.once('error', onError);
      redis.once('ready', onReady);
      redis.connect().catch(() => undefined);
    });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw Object.assign(new Error(`Redis ${redisUrl}: ${e.message ?? String(err)}`, { cause: err }), { code: e.code });
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'api' });
  const pool = createPool(config.databaseUrl, 10, (err) => log.warn({ err }, 'an idle Postgres connection was lost; the pool reconnects'));
  const prisma = createPrisma(config.databaseUrl, 10);
  const redis = createRedis(config.redisUrl, { lazy: true });
  const closeAll = async () => {
    await Promise.allSettled([prisma.$disconnect(), pool.end()]);
    redis.removeAllListeners('error').on('error', () => undefined);
    redis.disconnect();
  };
  try {
    await pool.query('SELECT 1');
    await connectRedis(redis, config.redisUrl);
  } catch (err) {
    const advice = explainUnreachable(err, { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl });
    console.error(advice ?? `cannot start: ${(err as Error).message}`);
    await closeAll();
    process.exit(1);
  }

  // From here on ioredis reconnects by itself; say so in the log rather than as unhandled errors.
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'Redis connection error'));
  const queues = createQueues(redis, config.queuePrefix);
  // The same shared store (and key prefix) as the workers': a Yeastar token is one per app
  // fleet-wide (at most 8 may be live), so the API's template lookups and uploads reuse theirs.
  const store = createRedisSharedStore(redis, `${config.queuePrefix}:shared:`);
  const providers = createProviderRegistry({ store, userAgent: config.userAgent, log: log.child({ module: 'providers' }) });
  const app = await buildApp({ prisma, pool, queues, config, log, redis, queuesForAdmin: [queues.launch, queues.send, queues.priority], providers });
  const address = await app.listen({ host: config.host, port: config.port });
  log.info({ address }, 'API listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await app.close();
      await providers.close();
      await queues.close();
    } finally {
      await closeAll();
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(explainUnreachable(err) ?? err);
  process.exit(1);
});
