/**
 * Expiry: a campaign whose expires_at has passed before it could (re)start is marked `expired`,
 * and its unsent recipients with it, in one transaction.
 *
 * The contract with the worker side: the launch (fan-out) job of a scheduled campaign checks
 * expires_at before starting it and calls `expireCampaign` instead when it has passed; the API does
 * the same on POST /launch and POST /resume. Running campaigns expire mid-send at the send step
 * (each recipient not sent by expires_at ends `expired`), which is the worker's business.
 */
import type pg from 'pg';
import { AppError } from '../../errors/index.js';
import type { CampaignStatus } from '../status-machine.js';
import { applyTransition, type TransitionedCampaign } from './guarded-transition.js';
import { inTransaction } from './in-transaction.js';
import { endUnsentRecipients } from './unsent-recipients.js';

export interface ExpiredCampaign extends TransitionedCampaign {
  recipientsExpired: number;
}

/**
 * Moves the campaign to `expired` (from any status the machine allows) and its pending/retrying
 * recipients to `expired` (reason campaign_expired).
 * @param observed the status the caller saw, to guard on exactly that one.
 * @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT
 */
export async function expireCampaign(
  pool: pg.Pool,
  id: string,
  options: { now: Date; observed?: CampaignStatus },
): Promise<ExpiredCampaign> {
  return inTransaction(pool, async (client) => {
    const moved = await applyTransition(client, {
      id,
      action: 'expire',
      observed: options.observed,
      set: { finished_at: options.now },
    });
    const recipientsExpired = await endUnsentRecipients(client, id, 'expired');
    return { ...moved, recipientsExpired };
  });
}

/** The 409 a request gets when it found the campaign past its expires_at and expired it. */
export function campaignExpiredError(id: string, expiresAt: Date): AppError {
  return new AppError('CAMPAIGN_EXPIRED', `campaign ${id} expired at ${expiresAt.toISOString()}; it has been marked expired`, {
    details: { status: 'expired', expires_at: Math.floor(expiresAt.getTime() / 1000) },
  });
}
