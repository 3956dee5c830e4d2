/**
 * A send job that BullMQ gave up on (its last attempt threw something other than a classified
 * provider error — a bug, Postgres down for minutes) would otherwise leave its recipient `sending`
 * or `retrying` forever and its campaign never complete. This marks the recipient failed so the
 * ledger says what happened. If Postgres is still down this write fails too; the reconciler's sweep
 * of stranded recipients then re-enqueues the job later.
 */
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import type { SendJobData } from '../queue/names.js';
import { completeCampaignIfDone } from './campaign-completion.js';
import { recordFailed } from './recipient-outcome.js';

/** Error code written to the ledger when a send exhausted its attempts on a non-provider error. */
export const DISPATCH_ERROR_CODE = 'DISPATCH_ERROR';

/** Handles a BullMQ `failed` event of a send job; does nothing unless it was the final failure. */
export async function failExhaustedSend(
  deps: { pool: pg.Pool; log: Logger },
  job: { data: SendJobData; attemptsMade: number; opts: { attempts?: number } },
  err: Error,
): Promise<void> {
  if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
  const { campaignId, recipientId } = job.data;
  const log = deps.log.child({ module: 'exhausted-send', campaignId, recipientId, attempt: job.attemptsMade });
  try {
    const marked = await recordFailed(
      deps.pool,
      recipientId,
      { code: DISPATCH_ERROR_CODE, message: err.message || String(err), reason: 'retries_exhausted' },
      { fromStatuses: ['pending', 'sending', 'retrying'] },
    );
    log.error({ err, marked }, 'send job exhausted its attempts');
    if (marked) await completeCampaignIfDone(deps.pool, campaignId);
  } catch (writeErr) {
    log.error({ err, writeErr }, 'send job exhausted its attempts and its recipient could not be marked failed');
  }
}
