/**
 * Which launch job a campaign has, and moving it. Launch job ids are `launch-<campaign>-<n>`
 * (src/queue/names.ts) and BullMQ ignores an add whose id exists, so every deliberate re-launch
 * needs a number no earlier launch of that campaign used. No counter column exists; the numbers
 * are derived instead, each family in its own range so they cannot collide:
 * - 0: the first launch — creation (immediately or scheduled) and the launch of a draft;
 * - 1: a scheduled campaign launched early (POST /launch);
 * - send_time in Unix milliseconds (~1.8e12): the delayed launch of a campaign scheduled or
 *   rescheduled by PATCH — so the delayed job of a scheduled campaign is always `0` or
 *   `<send_time ms>`, both computable from the row, and removable without a queue scan;
 * - the database clock in microseconds at the resume (~1.8e15): each resume.
 *
 * Enqueueing and removing are best effort after the commit (see launch-enqueue.ts): a delayed job
 * that survives a failed removal fires, finds the campaign no longer scheduled, or scheduled later
 * (the fan-out then delays itself to the new send_time), and does nothing early.
 */
import type { Logger } from '../../observability/logger.js';
import { launchJobId } from '../../queue/names.js';
import type { Queues } from '../../queue/queues.js';

export const FIRST_LAUNCH = 0;
export const EARLY_LAUNCH = 1;

/** The launch number of a delayed launch set by PATCH. */
export function scheduledLaunchNumber(sendTime: Date): number {
  return sendTime.getTime();
}

/** The launch number of a resume, from the transition's database clock. */
export function resumeLaunchNumber(transitionMicros: number): number {
  return transitionMicros;
}

/** The ids the delayed launch job of a campaign scheduled for `sendTime` can have. */
export function scheduledLaunchJobIds(campaignId: string, sendTime: Date | null): string[] {
  const ids = [launchJobId(campaignId, FIRST_LAUNCH)];
  if (sendTime) ids.push(launchJobId(campaignId, scheduledLaunchNumber(sendTime)));
  return ids;
}

/** How long a request waits for Redis before carrying on without it. */
const REMOVE_TIMEOUT_MS = 3_000;

/**
 * Removes the delayed launch job of a campaign that leaves `scheduled` (or moves its send_time).
 * Best effort: failures are logged, because a surviving job does nothing early (module comment).
 */
export async function removeDelayedLaunch(
  deps: { queues: Pick<Queues, 'launch'>; log: Logger },
  campaignId: string,
  sendTime: Date | null,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REMOVE_TIMEOUT_MS} ms`)), REMOVE_TIMEOUT_MS);
  });
  try {
    const removals = scheduledLaunchJobIds(campaignId, sendTime).map((id) => deps.queues.launch.remove(id));
    await Promise.race([Promise.all(removals), timeout]);
  } catch (err) {
    deps.log.warn({ err, campaignId }, 'could not remove the delayed launch job; the launch worker will ignore it');
  } finally {
    clearTimeout(timer);
  }
}
