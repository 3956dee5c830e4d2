/**
 * Ending the unsent part of a ledger when its campaign ends early (cancel, expiry): every recipient
 * still `pending` or `retrying` takes the campaign's final status, with a reason saying why.
 *
 * Rows in `sending` are left alone on purpose: a worker holds them mid-call to the provider, and the
 * message may already be out. Their send finishes and records its real outcome (sent or failed);
 * rewriting them here would make the ledger deny a message the recipient received.
 */
import type { Queryable } from './guarded-transition.js';

export type UnsentEnd = 'cancelled' | 'expired';

/** Statuses of recipients that have not been handed to a provider. */
export const UNSENT_STATUSES = ['pending', 'retrying'] as const;

/**
 * Marks the campaign's unsent recipients `end`. Call it in the transaction that moved the
 * campaign, so the ledger and the campaign change together.
 * @returns how many recipients it marked.
 */
export async function endUnsentRecipients(db: Queryable, campaignId: string, end: UnsentEnd): Promise<number> {
  const result = await db.query(
    `UPDATE campaign_recipients
        SET status = $2::"RecipientStatus", reason = $3, lease_expires_at = NULL, updated_at = now()
      WHERE campaign_id = $1 AND status IN ('pending', 'retrying')`,
    [campaignId, end, `campaign_${end}`],
  );
  return result.rowCount ?? 0;
}
