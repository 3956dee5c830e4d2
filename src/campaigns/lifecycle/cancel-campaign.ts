/**
 * Cancel: draft, scheduled, running or paused → cancelled, and in the same transaction every
 * recipient not yet handed to the provider (pending, retrying) → cancelled. Recipients in `sending`
 * are mid-call: they finish and keep their real outcome (see unsent-recipients.ts), so a cancelled
 * campaign may still gain a few `sent` rows right after the answer — the answer's counts say how
 * many were in flight.
 *
 * Stopping the workers needs nothing more: a claim requires the campaign to be `running`, so queued
 * send jobs run as no-ops. A scheduled campaign's delayed launch job is removed after the commit
 * (best effort; one that still fires finds the campaign cancelled and does nothing).
 */
import { applyTransition } from './guarded-transition.js';
import { inTransaction } from './in-transaction.js';
import { removeDelayedLaunch } from './launch-jobs.js';
import { lifecycleAnswer, type LifecycleAnswer } from './lifecycle-answer.js';
import type { LifecycleDeps } from './lifecycle-deps.js';
import { endUnsentRecipients } from './unsent-recipients.js';

export interface CancelledCampaign extends LifecycleAnswer {
  recipients_cancelled: number;
}

/** @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT (details.status) */
export async function cancelCampaign(deps: LifecycleDeps, id: string): Promise<CancelledCampaign> {
  const now = deps.now();
  const { moved, cancelled } = await inTransaction(deps.pool, async (client) => {
    const moved = await applyTransition(client, { id, action: 'cancel', set: { cancelled_at: now, finished_at: now } });
    const cancelled = await endUnsentRecipients(client, id, 'cancelled');
    return { moved, cancelled };
  });
  if (moved.previousStatus === 'scheduled') await removeDelayedLaunch(deps, id, moved.sendTime);
  deps.log.info({ campaignId: id, from: moved.previousStatus, recipientsCancelled: cancelled }, 'campaign cancelled');
  return { ...(await lifecycleAnswer(deps.pool, id)), recipients_cancelled: cancelled };
}
