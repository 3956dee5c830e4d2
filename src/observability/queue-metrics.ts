/**
 * Queue gauges, read from Redis when Prometheus scrapes rather than kept up to date by events:
 * - queue_jobs{queue, state}: jobs waiting, active, delayed and failed;
 * - queue_oldest_waiting_age_seconds{queue}: how long the job at the head of the wait list has
 *   existed (0 when none waits) — the number that says "sends are falling behind" before any
 *   customer does;
 * - queue_scrape_errors_total{queue}: scrapes that could not read a queue.
 *
 * Each scrape costs two bounded commands per queue: `getJobCounts` (one Lua call of LLEN/ZCARD)
 * and `getJobs(['wait'], 0, 0, true)`, which reads one job however long the list is (an unbounded
 * getJobs range can block Redis for seconds). Register these in one process only (the API): every
 * process would read the same numbers.
 *
 * The age is from the job's creation (`job.timestamp`): a retried or delayed job counts its delay,
 * which is what a campaign's "why is this late" question wants.
 */
import type { Queue } from 'bullmq';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { METRIC_PREFIX } from './metrics.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** A scrape waits at most this long for Redis, so a Redis outage slows /metrics by seconds, not minutes. */
const READ_TIMEOUT_MS = 2_000;

export type MetricsQueue = Pick<Queue, 'name' | 'getJobCounts' | 'getJobs'>;

export interface QueueMetricsDeps {
  queues: readonly MetricsQueue[];
  log: Logger;
  now?: () => Date;
  readTimeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Registers the queue gauges on `registry`; they read `deps.queues` on every scrape. */
export function registerQueueMetrics(registry: Registry, deps: QueueMetricsDeps): void {
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.readTimeoutMs ?? READ_TIMEOUT_MS;
  const log = deps.log.child({ module: 'queue-metrics' });
  const registers = [registry];

  const errors = new Counter({
    name: `${METRIC_PREFIX}queue_scrape_errors_total`,
    help: 'Scrapes that could not read a queue from Redis.',
    labelNames: ['queue'] as const,
    registers,
  });
  const failed = (queue: string, err: unknown): void => {
    errors.inc({ queue });
    log.warn({ err, queue }, 'could not read queue for metrics');
  };

  new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs per queue and state, read at scrape time.',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      // Reset first: a queue that cannot be read shows no series rather than stale numbers.
      this.reset();
      await Promise.all(
        deps.queues.map(async (queue) => {
          try {
            const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), timeoutMs, `counting ${queue.name}`);
            for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch (err) {
            failed(queue.name, err);
          }
        }),
      );
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}queue_oldest_waiting_age_seconds`,
    help: 'Age of the oldest waiting job per queue (0 when none waits), read at scrape time.',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      const at = now().getTime();
      await Promise.all(
        deps.queues.map(async (queue) => {
          try {
            // Jobs are pushed at the head and taken from the tail: ascending order starts at the oldest.
            const [oldest] = await withTimeout(queue.getJobs(['wait'], 0, 0, true), timeoutMs, `reading ${queue.name}`);
            const age = oldest ? Math.max(0, at - oldest.timestamp) / 1000 : 0;
            this.set({ queue: queue.name }, age);
          } catch (err) {
            failed(queue.name, err);
          }
        }),
      );
    },
  });
}
