import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { LAUNCH_QUEUE, launchJobId, PRIORITY_SEND_QUEUE, SEND_QUEUE, type LaunchJobData, type SendJobData, type SendLane } from './names.js';

export interface Queues {
  launch: Queue<LaunchJobData>;
  send: Queue<SendJobData>;
  /** The one-off messages' lane (names.ts). */
  priority: Queue<SendJobData>;
  close(): Promise<void>;
}

/** The send queue of a lane: one-off messages go to the priority queue, campaign recipients to `send`. */
export function sendQueueOf<Q>(queues: { send: Q; priority: Q }, lane: SendLane | string): Q {
  return lane === 'message' ? queues.priority : queues.send;
}

/**
 * The producer side of the queues. Finished jobs are removed (Postgres keeps the record); failed
 * jobs are kept for a day for the job dashboard.
 */
export function createQueues(connection: Redis, prefix: string): Queues {
  const defaultJobOptions = {
    removeOnComplete: true,
    removeOnFail: { age: 24 * 3600, count: 10_000 },
  };
  const launch = new Queue<LaunchJobData>(LAUNCH_QUEUE, { connection, prefix, defaultJobOptions });
  const send = new Queue<SendJobData>(SEND_QUEUE, { connection, prefix, defaultJobOptions });
  const priority = new Queue<SendJobData>(PRIORITY_SEND_QUEUE, { connection, prefix, defaultJobOptions });
  return {
    launch,
    send,
    priority,
    async close() {
      await Promise.all([launch.close(), send.close(), priority.close()]);
    },
  };
}

/**
 * Enqueues the launch (fan-out) job of a campaign, delayed until `at` when that is in the future.
 * The job id is deterministic, so enqueueing the same launch twice is harmless; `launchNumber`
 * tells apart deliberate re-launches (e.g. a scheduled campaign launched early).
 */
export async function enqueueLaunch(
  queues: Pick<Queues, 'launch'>,
  campaignId: string,
  options: { at?: Date; now?: Date; launchNumber?: number } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  const delay = options.at ? Math.max(0, options.at.getTime() - now.getTime()) : 0;
  await queues.launch.add(
    'launch',
    { campaignId },
    { jobId: launchJobId(campaignId, options.launchNumber ?? 0), delay, attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  );
}
