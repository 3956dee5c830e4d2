/**
 * How send jobs are enqueued and retried by BullMQ: the glue between the pure retry policy
 * (src/policy/backoff.ts) and BullMQ.
 *
 * Provider failures do not come through here any more: the send processor re-schedules the job
 * itself (moveToDelayed) under the campaign's max_attempts / max_retry_seconds (send-failure.ts).
 * BullMQ's own attempts and this backoff are left for unexpected errors (Postgres down, a bug):
 * BullMQ calls the worker's `settings.backoffStrategy` for any backoff `type` it does not know,
 * handing it the thrown error, so a Retry-After on it is still honoured.
 */
import type { BackoffStrategy, BulkJobOptions } from 'bullmq';
import { SEND_ATTEMPTS, retryDelayMs } from '../policy/backoff.js';
import { sendJobId } from '../queue/names.js';

/** The custom backoff type name; the worker's backoffStrategy answers for it. */
export const SEND_BACKOFF_TYPE = 'send-retry';

/**
 * Options of one recipient's send job. Finished jobs are removed either way: the ledger row is the
 * record, and a removed job id can be re-added by the reconciler if a row is ever stranded.
 */
export function sendJobOptions(recipientId: string | bigint): BulkJobOptions {
  return {
    jobId: sendJobId(recipientId),
    attempts: SEND_ATTEMPTS,
    backoff: { type: SEND_BACKOFF_TYPE },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/** The worker's backoffStrategy: our retry policy, reading Retry-After off the thrown error. */
export const sendBackoffStrategy: BackoffStrategy = (attemptsMade, _type, err) => {
  return retryDelayMs({ attemptsMade, retryAfterMs: retryAfterOf(err) });
};

/** Duck-typed so an error from another copy of the module (tests, bundles) still counts. */
function retryAfterOf(err: unknown): number | undefined {
  const value = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof value === 'number' ? value : undefined;
}
