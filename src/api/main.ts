/**
 * The API process's composition root: configuration, logger, Postgres, Redis, queues, the app;
 * then listen, and on SIGTERM/SIGINT stop taking requests, finish those in flight, close the rest.
 *
 * Postgres and Redis are reached before the app is built. While either cannot be, the start is
 * tried again with a capped exponential delay (src/health/retry-until-ready.ts), each failed try
 * logged at warn with the next delay — a process started during an outage waits for it to end
 * instead of exiting into a crash loop. From the first failed try until the app listens, a bare
 * health server holds the port: /healthz 200 (alive, only waiting), /readyz 503 with the reason,
 * so no traffic is routed to it. A SIGTERM while waiting exits 0. A configuration error (wrong
 * password, missing database) still prints what to do (explainUnreachable) and exits 1.
 */
import './v8-flags.js'; // first: flags must be set before any module compiles WebAssembly
import type { Redis } from 'ioredis';
import { loadConfig } from '../config/config.js';
import { createPool } from '../db/connection.js';
import { createPrisma, warmPrisma } from '../db/prisma.js';
import { explainUnreachable } from '../db/unreachable.js';
import { startHealthServer, type HealthServer } from '../health/health-server.js';
import { failureSummary, retryUntilReady } from '../health/retry-until-ready.js';
import { createStartupChecks } from '../health/startup-checks.js';
import { createLogger } from '../observability/logger.js';
import { createMetricsRegistry } from '../observability/metrics.js';
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
  let redis: Redis | undefined;
  const closeAll = async () => {
    await Promise.allSettled([prisma.$disconnect(), pool.end()]);
    if (redis) quiet(redis);
  };

  let stopping = false;
  /** A signal came before the app existed: main() itself stops once it gets that far. */
  let stopEarly = false;
  let stopApp: (() => Promise<void>) | undefined;
  const aborted = new AbortController();
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    if (!stopApp) {
      // Still waiting for Postgres or Redis (or building the app): end the wait; main() closes.
      stopEarly = true;
      return aborted.abort(new Error(signal));
    }
    try {
      await stopApp();
    } finally {
      await closeAll();
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  // Holds the port while waiting (module comment); started at the first failed try only, so a
  // normal start binds the port once.
  let waitingServer: Promise<HealthServer> | undefined;
  const startup = createStartupChecks(['startup']);
  try {
    redis = await retryUntilReady(
      async () => {
        await pool.query('SELECT 1');
        const connection = createRedis(config.redisUrl, { lazy: true });
        try {
          await connectRedis(connection, config.redisUrl);
          return connection;
        } catch (err) {
          quiet(connection);
          throw err;
        }
      },
      {
        what: 'Postgres and Redis',
        log,
        signal: aborted.signal,
        onRetry: ({ err }) => {
          startup.waiting(`waiting for Postgres and Redis (${failureSummary(err)})`);
          if (waitingServer) return;
          waitingServer = startHealthServer({
            port: config.port,
            host: config.host,
            registry: createMetricsRegistry({ service: 'api', processMetrics: false }),
            checks: startup.checks,
            log,
          });
          waitingServer.catch((err: unknown) => {
            log.error({ err, port: config.port }, 'cannot listen; stopping');
            process.exit(1);
          });
        },
      },
    );
  } catch (err) {
    await (await waitingServer?.catch(() => undefined))?.close();
    await closeAll();
    if (stopEarly) process.exit(0);
    const advice = explainUnreachable(err, { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl });
    console.error(advice ?? `cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  await (await waitingServer?.catch(() => undefined))?.close();
  await warmPrisma(prisma);

  // From here on ioredis reconnects by itself; say so in the log rather than as unhandled errors.
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'Redis connection error'));
  const queues = createQueues(redis, config.queuePrefix);
  // The same shared store (and key prefix) as the workers': a Yeastar token is one per app
  // fleet-wide (at most 8 may be live), so the API's template lookups and uploads reuse theirs.
  const store = createRedisSharedStore(redis, `${config.queuePrefix}:shared:`);
  const providers = createProviderRegistry({ store, userAgent: config.userAgent, log: log.child({ module: 'providers' }) });
  const app = await buildApp({ prisma, pool, queues, config, log, redis, queuesForAdmin: [queues.launch, queues.send, queues.priority], providers });
  stopApp = async () => {
    await app.close();
    await providers.close();
    await queues.close();
  };
  const address = await app.listen({ host: config.host, port: config.port });
  log.info({ address }, 'API listening');
  if (stopEarly) {
    // The signal came while the last try was connecting or the app was being built.
    try {
      await stopApp();
    } finally {
      await closeAll();
    }
    process.exit(0);
  }
}

/** Disconnects without the "Unhandled error event" a late connection error would print. */
function quiet(redis: Redis): void {
  redis.removeAllListeners('error').on('error', () => undefined);
  if (redis.status !== 'end') redis.disconnect();
}

main().catch((err: unknown) => {
  console.error(explainUnreachable(err) ?? err);
  process.exit(1);
});
