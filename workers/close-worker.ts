import type { Worker } from 'bullmq';
import type { Logger } from '../src/observability/logger.js';

/**
 * Closes a BullMQ worker gracefully, but not forever: `worker.close()` waits for active jobs with no
 * timeout of its own, and a send stuck on a slow provider must not hold a deploy hostage. After the
 * deadline the worker is force-closed; its unfinished jobs keep their lock until it expires and the
 * stalled check re-queues them, and their recipients' claims make the re-run safe.
 */
export async function closeWorker(worker: Worker, deadlineMs: number, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deadlineMs);
  });
  const graceful = worker.close().then(() => 'closed' as const);
  const result = await Promise.race([graceful, deadline]);
  clearTimeout(timer);
  if (result === 'timeout') {
    log.warn({ queue: worker.name, deadlineMs }, 'active jobs did not finish before the deadline; force-closing');
    await worker.close(true);
  }
}
