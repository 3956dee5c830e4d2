/**
 * The worker process's composition root: builds every dependency from the config, starts the
 * launch and send workers and the reconciler, and knows how to stop them in order. `main.ts` is the
 * thin process wrapper (signals, exit codes); integration tests start this in-process with a test
 * database URL and queue prefix.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from '../src/config/config.js';
import { createPool } from '../src/db/connection.js';
import { createPrisma, warmPrisma, type PrismaClient } from '../src/db/prisma.js';
import { failExhaustedSend } from '../src/dispatch/exhausted-send.js';
import { createFanOutProcessor } from '../src/dispatch/fan-out.js';
import { createReconciler, type Reconciler } from '../src/dispatch/reconciler.js';
import { createCircuitBreaker } from '../src/dispatch/circuit-breaker.js';
import { createSendContextCache, prismaSendContextLoader } from '../src/dispatch/send-context.js';
import { sendBackoffStrategy } from '../src/dispatch/send-job-options.js';
import { createBatchedSendLedger, createDirectSendLedger } from '../src/dispatch/send-ledger.js';
import { createSendProcessor } from '../src/dispatch/send-recipient.js';
import { createDispatchMetrics, type DispatchMetrics } from '../src/observability/dispatch-metrics.js';
import type { Logger } from '../src/observability/logger.js';
import { createMetricsRegistry } from '../src/observability/metrics.js';
import { createProviderRegistry } from '../src/providers/registry.js';
import { createRedis } from '../src/queue/connection.js';
import { LAUNCH_QUEUE, PRIORITY_SEND_QUEUE, SEND_QUEUE, type LaunchJobData, type SendJobPayload } from '../src/queue/names.js';
import { createQueues, type Queues } from '../src/queue/queues.js';
import { createRateLimiter } from '../src/queue/rate-limiter.js';
import { createRedisSharedStore } from '../src/queue/redis-shared-store.js';
import { closeWorker } from './close-worker.js';

/** Launch jobs are few and each streams a whole campaign; two at once is plenty. */
export const LAUNCH_CONCURRENCY = 2;

/**
 * Concurrency of the priority lane's Worker (one-off messages): a quarter of the campaign lane's,
 * at least 5. One-off sends are few and arrive one at a time; what matters is that a slot is free
 * when one comes, not throughput. Its slots are its own, so a campaign holding every slot of the
 * `send` Worker cannot keep a reply waiting.
 */
export function priorityConcurrency(workerConcurrency: number): number {
  return Math.max(5, Math.ceil(workerConcurrency / 4));
}

/**
 * Postgres connections of the priority lane, apart from the campaign lane's pool: a campaign at
 * full speed keeps that pool's wait queue long (every send is a claim and an outcome write), and a
 * reply's statements would queue behind them — hundreds of milliseconds per statement on a loaded
 * box. Two connections per worker process is the whole cost.
 */
export const PRIORITY_DB_POOL_SIZE = 2;

/** The configuration a worker runtime reads (src/config/config.ts documents each field). */
export type WorkerConfig = Pick<
  Config,
  | 'databaseUrl'
  | 'redisUrl'
  | 'queuePrefix'
  | 'workerConcurrency'
  | 'workerDbPoolSize'
  | 'credentialsKeyring'
  | 'userAgent'
  | 'sendLeaseSeconds'
  | 'sendLockDurationMs'
  | 'sendStalledIntervalMs'
  | 'shutdownDeadlineMs'
  | 'reconcileIntervalMs'
  | 'breakerCooldownMs'
  | 'breakerMinRequests'
  | 'breakerWindowMs'
  | 'rateLimitMarginMs'
  | 'rateLimitHorizonMs'
  | 'fanOutAhead'
>;

export interface WorkerRuntimeDeps {
  config: WorkerConfig;
  log: Logger;
  /** Registry for the worker's metrics; default a fresh `service="worker"` one with process metrics. */
  registry?: Registry;
}

export interface WorkerRuntime {
  pool: pg.Pool;
  prisma: PrismaClient;
  /** A non-blocking Redis connection (readiness PING, the reconciler's lock, limiter, breaker). */
  redis: Redis;
  queues: Queues;
  reconciler: Reconciler;
  launchWorker: Worker<LaunchJobData>;
  sendWorker: Worker<SendJobPayload>;
  /** The priority lane: one-off messages (src/queue/names.ts), same processor as `sendWorker`. */
  prioritySendWorker: Worker<SendJobPayload>;
  /** The worker's Prometheus registry (serve it with src/health/health-server.ts). */
  registry: Registry;
  metrics: DispatchMetrics;
  /**
   * Stops taking jobs, waits up to `deadlineMs` (default config.shutdownDeadlineMs) for active ones,
   * force-closes what is left, runs the batched ledger statements already asked for, then closes
   * every connection.
   */
  close(deadlineMs?: number): Promise<void>;
}


/**
 * Builds and starts the worker runtime. Throws (after releasing what it opened) when Postgres or
 * Redis cannot be reached, so the caller can explain that and exit.
 */
export async function createWorkerRuntime(deps: WorkerRuntimeDeps): Promise<WorkerRuntime> {
  const { config } = deps;
  const log = deps.log;
  const onIdleError = (err: Error): void => log.warn({ err }, 'an idle Postgres connection was lost; the pool reconnects');
  const pool = createPool(config.databaseUrl, config.workerDbPoolSize, onIdleError);
  const priorityPool = createPool(config.databaseUrl, PRIORITY_DB_POOL_SIZE, onIdleError);
  const prisma = createPrisma(config.databaseUrl, 4);
  const redis = createRedis(config.redisUrl);
  const workerRedis = createRedis(config.redisUrl, { forWorker: true });
  const closeConnections = async (): Promise<void> => {
    await Promise.allSettled([pool.end(), priorityPool.end(), prisma.$disconnect()]);
    redis.disconnect();
    workerRedis.disconnect();
  };

  // ioredis reports connection failures as 'error' events (printed as "Unhandled error event"
  // without a listener); keep the last one so a failed start can say why.
  let lastRedisError: (Error & { code?: string }) | undefined;
  const redisLog = log.child({ module: 'redis' });
  for (const connection of [redis, workerRedis]) {
    connection.on('error', (err: Error & { code?: string }) => {
      if (lastRedisError?.code !== err.code) redisLog.warn({ err }, 'redis connection error');
      lastRedisError = err;
    });
  }

  try {
    await pool.query('SELECT 1');
    await redis.ping().catch((err: unknown) => {
      throw redisUnreachable(lastRedisError ?? err);
    });
    await warmPrisma(prisma);
  } catch (err) {
    await closeConnections();
    throw err;
  }

  const queues = createQueues(redis, config.queuePrefix);
  const store = createRedisSharedStore(redis, `${config.queuePrefix}:shared:`);
  const providers = createProviderRegistry({ store, userAgent: config.userAgent, log: log.child({ module: 'providers' }) });
  const contexts = createSendContextCache({ load: prismaSendContextLoader(prisma, config.credentialsKeyring) });
  const registry = deps.registry ?? createMetricsRegistry({ service: 'worker' });
  const metrics = createDispatchMetrics(registry);

  const processLaunch = createFanOutProcessor({ pool, sendQueue: queues.send, priorityQueue: queues.priority, log, maxAhead: config.fanOutAhead, limiterMarginMs: config.rateLimitMarginMs });
  // Rate limits and the circuit breaker live in Redis, shared by every worker process.
  const limiter = createRateLimiter(redis, `${config.queuePrefix}:rl:`, {
    marginMs: config.rateLimitMarginMs,
    horizonMs: config.rateLimitHorizonMs,
  });
  const breaker = createCircuitBreaker({
    redis,
    keyPrefix: `${config.queuePrefix}:cb:`,
    log,
    config: { cooldownMs: config.breakerCooldownMs, minRequests: config.breakerMinRequests, windowMs: config.breakerWindowMs },
  });
  // The campaign lane's per-send statements, coalesced across this process's concurrent sends.
  const ledger = createBatchedSendLedger(pool);
  const sendDeps = {
    pool,
    ledger,
    providers,
    contexts,
    limiter,
    breaker,
    metrics,
    log,
    leaseSeconds: config.sendLeaseSeconds,
    // Half the margin: what is left of it absorbs got, the socket and the provider's side.
    maxAdmissionLagMs: Math.max(5, Math.floor(config.rateLimitMarginMs / 3)),
  };
  const processSend = createSendProcessor(sendDeps);
  // The priority lane keeps one statement per call on its own pool: a reply never waits for a batch.
  const processPrioritySend = createSendProcessor({
    ...sendDeps,
    pool: priorityPool,
    ledger: createDirectSendLedger(priorityPool),
    priorityLane: true,
  });

  const launchWorker = new Worker<LaunchJobData>(LAUNCH_QUEUE, (job: Job<LaunchJobData>, token) => processLaunch(job, token), {
    connection: workerRedis,
    prefix: config.queuePrefix,
    concurrency: LAUNCH_CONCURRENCY,
  });
  const sendWorkerOptions = {
    connection: workerRedis,
    prefix: config.queuePrefix,
    // A worker killed mid-send leaves jobs that the stalled check re-queues. The claim and the
    // idempotency key make a re-run safe, and a job given up here would strand its recipient until
    // the reconciler's sweep (minutes): the chaos suite's repeated SIGKILLs did exactly that with a
    // limit of 2. So the limit only stops a job that kills every worker that takes it.
    maxStalledCount: 20,
    lockDuration: config.sendLockDurationMs,
    stalledInterval: config.sendStalledIntervalMs,
    settings: { backoffStrategy: sendBackoffStrategy },
  };
  const sendWorker = new Worker<SendJobPayload>(SEND_QUEUE, (job: Job<SendJobPayload>, token) => processSend(job, token), {
    ...sendWorkerOptions,
    concurrency: config.workerConcurrency,
  });
  // Its own Worker (own blocking connection, own concurrency slots) on the priority queue.
  const prioritySendWorker = new Worker<SendJobPayload>(
    PRIORITY_SEND_QUEUE,
    (job: Job<SendJobPayload>, token) => processPrioritySend(job, token),
    { ...sendWorkerOptions, concurrency: priorityConcurrency(config.workerConcurrency) },
  );
  const workerLog = log.child({ module: 'worker' });
  for (const worker of [launchWorker, sendWorker, prioritySendWorker] as Worker[]) {
    worker.on('error', (err) => workerLog.error({ err, queue: worker.name }, 'worker error'));
  }
  launchWorker.on('failed', (job, err) =>
    workerLog.warn({ err, campaignId: job?.data.campaignId, attempt: job?.attemptsMade }, 'launch job failed'),
  );
  for (const worker of [sendWorker, prioritySendWorker]) {
    worker.on('failed', (job, err) => {
      if (job) void failExhaustedSend({ pool, log }, job, err);
    });
  }

  const reconciler = createReconciler({
    pool,
    queues,
    redis,
    lockKey: `${config.queuePrefix}:reconciler-lock`,
    log,
    intervalMs: config.reconcileIntervalMs,
    // A waiting row is looked up once its claim's lease could have ended plus one pass.
    strandedAfterMs: config.sendLeaseSeconds * 1000 + config.reconcileIntervalMs,
  });
  reconciler.start();
  log.info({ concurrency: config.workerConcurrency, prefix: config.queuePrefix }, 'worker runtime started');

  let closing: Promise<void> | undefined;
  return {
    pool,
    prisma,
    redis,
    queues,
    reconciler,
    launchWorker,
    sendWorker,
    prioritySendWorker,
    registry,
    metrics,
    close(deadlineMs = config.shutdownDeadlineMs) {
      closing ??= (async () => {
        await reconciler.stop();
        await Promise.all([launchWorker, sendWorker, prioritySendWorker].map((w) => closeWorker(w as Worker, deadlineMs, workerLog)));
        // Statements the finished sends asked for run before the pool closes: no outcome is dropped.
        await ledger.close();
        await breaker.flush().catch((err: unknown) => log.warn({ err }, 'could not write the last circuit-breaker outcomes'));
        await queues.close();
        await providers.close();
        await closeConnections();
        log.info('worker runtime stopped');
      })();
      return closing;
    },
  };
}

/**
 * A failed Redis ping surfaces as ioredis' MaxRetriesPerRequestError, which names neither Redis nor
 * the cause; re-wrap the underlying connection error so explainUnreachable recognises it.
 */
function redisUnreachable(cause: unknown): Error {
  const c = cause as { code?: string; message?: string };
  const err = new Error(`cannot connect to Redis: ${c?.message ?? String(cause)}`, { cause }) as Error & { code?: string };
  err.code = c?.code;
  return err;
}
