/**
 * Pause: running → paused. One guarded UPDATE and nothing else, because stopping is the claim's
 * job: a worker claims a recipient only while its campaign is `running` (src/dispatch/
 * recipient-claim.ts), so from the commit on no new send starts. Send jobs already queued run as
 * no-ops and their recipients stay pending/retrying; the fan-out stops at its next chunk. Sends
 * already in flight (`sending`) finish and record their outcome.
 */
import { applyTransition } from './guarded-transition.js';
import { lifecycleAnswer, type LifecycleAnswer } from './lifecycle-answer.js';
import type { LifecycleDeps } from './lifecycle-deps.js';

/** @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT (details.status) */
export async function pauseCampaign(deps: Pick<LifecycleDeps, 'pool' | 'log' | 'now'>, id: string): Promise<LifecycleAnswer> {
  await applyTransition(deps.pool, { id, action: 'pause', set: { paused_at: deps.now() } });
  deps.log.info({ campaignId: id }, 'campaign paused');
  return lifecycleAnswer(deps.pool, id);
}
