/**
 * Queue health for operators (GET /v1/queues, `cli queues`): per queue, how many jobs are in each
 * state and how long the oldest waiting job has waited. The same two bounded Redis reads per queue
 * as the Prometheus gauges (src/observability/queue-metrics.ts) — never an unbounded range, which
 * could block Redis for seconds on a queue of a million sends.
 *
 * A queue that cannot be read within the timeout is reported with its error instead of failing the
 * whole answer: the operator asking "is it stuck?" learns which queue is unreadable.
 */
import type { Queue } from 'bullmq';

/** The states reported, in display order. Completed jobs are removed on completion, so not listed. */
export const HEALTH_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export type HealthQueue = Pick<Queue, 'name' | 'getJobCounts' | 'getJobs'>;

export interface QueueHealth {
  name: string;
  /** null when the queue could not be read (see `error`). */
  counts: Record<HealthState, number> | null;
  /** Seconds since the oldest waiting job was created; 0 when none waits, null when unreadable. */
  oldest_waiting_age_seconds: number | null;
  error?: string;
}

const READ_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function readOne(queue: HealthQueue, now: Date, timeoutMs: number): Promise<QueueHealth> {
  try {
    const [counts, [oldest]] = await withTimeout(
      Promise.all([queue.getJobCounts(...HEALTH_STATES), queue.getJobs(['wait'], 0, 0, true)]),
      timeoutMs,
      `reading ${queue.name}`,
    );
    const full = Object.fromEntries(HEALTH_STATES.map((s) => [s, counts[s] ?? 0])) as Record<HealthState, number>;
    // Jobs are pushed at the head and taken from the tail: ascending order starts at the oldest.
    const age = oldest ? Math.max(0, now.getTime() - oldest.timestamp) / 1000 : 0;
    return { name: queue.name, counts: full, oldest_waiting_age_seconds: Math.round(age * 10) / 10 };
  } catch (err) {
    return { name: queue.name, counts: null, oldest_waiting_age_seconds: null, error: (err as Error).message };
  }
}

/** Reads every queue at once; never throws. */
export async function readQueueHealth(
  queues: readonly HealthQueue[],
  options: { now: Date; timeoutMs?: number },
): Promise<QueueHealth[]> {
  return Promise.all(queues.map((q) => readOne(q, options.now, options.timeoutMs ?? READ_TIMEOUT_MS)));
}
