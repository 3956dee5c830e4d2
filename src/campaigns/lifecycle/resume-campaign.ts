/**
 * Resume: paused → running, then a fresh launch job. Why neither a skip nor a double send:
 * - the fan-out cursor is reset to 0 and fan_out_completed_at to null, so the new launch walks the
 *   whole ledger again and enqueues every recipient still pending — including those whose send job
 *   ran as a no-op during the pause (the cursor had already passed them) — none is skipped;
 * - recipients already sent are not pending, so the walk does not pick them; and a send job that
 *   is enqueued twice (old one still queued, new one added) has one id `r-<recipient>`, and even
 *   when two jobs did run, only one can claim the row (pending → sending) — none is sent twice.
 * The launch number is new per resume (the transition's database clock in microseconds), because
 * BullMQ would ignore an add under the id of an earlier launch job that still exists.
 *
 * A paused campaign whose expires_at has passed is expired instead of resumed (409 CAMPAIGN_EXPIRED).
 */
import { launchAfterCommit } from '../launch-enqueue.js';
import { hasExpired } from './campaign-settings.js';
import { campaignExpiredError, expireCampaign } from './expire-campaign.js';
import { applyTransition, campaignNotFound } from './guarded-transition.js';
import { resumeLaunchNumber } from './launch-jobs.js';
import { lifecycleAnswer, type LifecycleAnswer } from './lifecycle-answer.js';
import type { LifecycleDeps } from './lifecycle-deps.js';
import { isUuid } from '../uuid.js';

/** @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT, CAMPAIGN_EXPIRED */
export async function resumeCampaign(deps: LifecycleDeps, id: string): Promise<LifecycleAnswer> {
  if (!isUuid(id)) throw campaignNotFound(id);
  const now = deps.now();
  const { rows } = await deps.pool.query<{ status: string; expires_at: Date | null }>(
    'SELECT status, expires_at FROM campaigns WHERE id = $1',
    [id],
  );
  const current = rows[0];
  if (!current) throw campaignNotFound(id);
  if (current.status === 'paused' && hasExpired(current.expires_at, now)) {
    await expireCampaign(deps.pool, id, { now, observed: 'paused' });
    deps.log.info({ campaignId: id }, 'paused campaign past its expires_at; expired instead of resumed');
    throw campaignExpiredError(id, current.expires_at!);
  }

  const moved = await applyTransition(deps.pool, {
    id,
    action: 'resume',
    set: { paused_at: null, enqueue_cursor: 0, fan_out_completed_at: null },
  });
  await launchAfterCommit(deps, id, { now, launchNumber: resumeLaunchNumber(moved.transitionMicros) });
  deps.log.info({ campaignId: id }, 'campaign resumed');
  return lifecycleAnswer(deps.pool, id);
}
