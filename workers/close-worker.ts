import type { Worker } from 'bullmq';
import type { Logger } from '../src/observability/logger.js';

/**
 * How long a force-close may take before it is left behind. BullMQ's `close(true)` stops the worker
 * at once but can still wait for the processors that are running to settle; a deadline that waits
 * for them would be no deadline.
 */
export const FORCE_CLOSE_WAIT_MS = 1_000;

/**
 * Closes a BullMQ worker gracefully, but not forever: `worker.close()` stops fetching jobs and waits
 * for active ones with no timeout of its own, and a send stuck on a slow provider must not hold a
 * deploy hostage. After the deadline the worker is force-closed and its running jobs abandoned
 * (the caller then closes the provider clients and connections under them). An abandoned job keeps
 * its lock until it expires and the stalled check re-queues it; its recipient is `sending` under a
 * lease, and the re-run reclaims it once the lease has ended, with the same idempotency key.
 * @returns whether active jobs were abandoned.
 */
export async function closeWorker(worker: Worker, deadlineMs: number, log: Logger): Promise<boolean> {
  const graceful = worker.close().then(() => 'closed' as const);
  if ((await Promise.race([graceful, sleep(deadlineMs, 'timeout' as const)])) === 'closed') return false;
  log.warn({ queue: worker.name, deadlineMs }, 'active jobs did not finish before the deadline; force-closing');
  const forced = worker.close(true).then(() => 'closed' as const);
  if ((await Promise.race([forced, sleep(FORCE_CLOSE_WAIT_MS, 'timeout' as const)])) === 'timeout') {
    log.warn({ queue: worker.name }, 'abandoning the jobs still running; their leases hand them to another worker');
  }
  return true;
}

function sleep<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}
