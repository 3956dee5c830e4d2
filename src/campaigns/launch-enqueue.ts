/**
 * Enqueues a campaign's launch job once its state is committed, without letting Redis trouble fail
 * the request: the campaign is already accepted in Postgres, and the worker's reconciler enqueues
 * launches that are missing (running campaigns whose fan-out has not completed, past-due scheduled
 * ones). So a failure here is logged, not thrown.
 */
import type { Logger } from '../observability/logger.js';
import { launchJobId } from '../queue/names.js';
import { enqueueLaunch, type Queues } from '../queue/queues.js';

/**
 * How long a request waits for Redis. ioredis queues commands while it reconnects, so without a
 * bound an outage would hold every create/launch request open.
 */
export const ENQUEUE_TIMEOUT_MS = 3_000;

export interface LaunchEnqueueDeps {
  queues: Pick<Queues, 'launch'>;
  log: Logger;
}

/** Rejects when `work` has not settled within ENQUEUE_TIMEOUT_MS (the work itself carries on). */
export async function bounded<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** @returns whether the launch job is known to be enqueued. */
export async function launchAfterCommit(
  deps: LaunchEnqueueDeps,
  campaignId: string,
  options: { at?: Date; now: Date; launchNumber?: number },
): Promise<boolean> {
  try {
    await bounded(enqueueLaunch(deps.queues, campaignId, options));
    return true;
  } catch (err) {
    deps.log.warn(
      { err, campaignId },
      'launch job not enqueued; the campaign is persisted and the reconciler will enqueue its launch',
    );
    return false;
  }
}

/**
 * Removes the delayed launch job (launch number 0) of a scheduled campaign that is launched early
 * or otherwise leaves `scheduled`. Best effort: a job that still fires finds the campaign no longer
 * scheduled, and the launch worker ignores it.
 */
export async function removeScheduledLaunch(deps: LaunchEnqueueDeps, campaignId: string): Promise<void> {
  try {
    await bounded(deps.queues.launch.remove(launchJobId(campaignId, 0)));
  } catch (err) {
    deps.log.warn({ err, campaignId }, 'could not remove the delayed launch job; the launch worker will ignore it');
  }
}
