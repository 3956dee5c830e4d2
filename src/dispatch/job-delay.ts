/**
 * Re-scheduling a send job from inside its processor: `moveToDelayed` + `DelayedError`. BullMQ
 * counts no attempt for it and the worker's concurrency slot is free at once — waiting for a rate
 * limit, a cool-down or an open circuit holds nothing but a delayed-set entry in Redis.
 */
import { DelayedError, type Job } from 'bullmq';
import type { SendJobPayload } from '../queue/names.js';

export type DelayableJob = Pick<Job<SendJobPayload>, 'data' | 'moveToDelayed' | 'updateData'>;

/**
 * Delays the job by `ms`, first merging `patch` into its data when given (an undefined value
 * removes a field). Always throws: DelayedError tells the worker the job was moved, not failed.
 */
export async function delayJob(job: DelayableJob, token: string | undefined, ms: number, patch?: Partial<SendJobPayload>): Promise<never> {
  if (!token) throw new Error('a send job can only delay itself with its lock token');
  if (patch) await job.updateData({ ...job.data, ...patch });
  await job.moveToDelayed(Date.now() + Math.max(1, Math.ceil(ms)), token);
  throw new DelayedError();
}
