/**
 * Applying a delivery receipt to the ledger: one UPDATE whose guard is the pure transition table
 * (receipt-transition.ts), so duplicates and out-of-order receipts are no-ops without locks.
 * Correlation is by provider_message_id, restricted to campaigns of the channel that signed the
 * webhook — one channel's webhook can never move another channel's rows.
 */
import type pg from 'pg';
import { decideReceipt, statusesMovedBy, type LedgerStatus } from './receipt-transition.js';
import type { ReceiptEvent } from './webhook-events.js';

export type ReceiptOutcome =
  | { outcome: 'moved'; rows: { id: string; number: string }[] }
  | { outcome: 'duplicate' | 'stale' | 'not_applicable'; status: LedgerStatus }
  /** No row of this channel carries the id (a send of another system, or a receipt that beat the dispatch's write). */
  | { outcome: 'unknown' };

/** The ledger keeps the first 1,000 characters of a provider message, as the dispatch does. */
function truncate(message: string): string {
  return message.length > 1000 ? `${message.slice(0, 999)}…` : message;
}

/** Moves the rows `receipt` names, if the transition table allows; says what happened. */
export async function recordReceipt(pool: pg.Pool, channelId: string, receipt: ReceiptEvent): Promise<ReceiptOutcome> {
  const from = statusesMovedBy(receipt.status);
  if (from.length > 0) {
    const failure = receipt.failure;
    const result = await pool.query<{ id: string; number: string }>(
      `UPDATE campaign_recipients r
          SET status = $3::"RecipientStatus",
              delivered_at = CASE WHEN $3 IN ('delivered', 'read') THEN COALESCE(r.delivered_at, $4) ELSE r.delivered_at END,
              read_at = CASE WHEN $3 = 'read' THEN COALESCE(r.read_at, $4) ELSE r.read_at END,
              failed_at = CASE WHEN $3 = 'failed' THEN $4 ELSE r.failed_at END,
              last_error_code = CASE WHEN $3 = 'failed' THEN $5 ELSE r.last_error_code END,
              last_error_message = CASE WHEN $3 = 'failed' THEN $6 ELSE r.last_error_message END,
              reason = CASE WHEN $3 = 'failed' THEN $7 ELSE r.reason END,
              updated_at = now()
         FROM campaigns c
        WHERE c.id = r.campaign_id AND c.channel_id = $1 AND r.provider_message_id = $2
          AND r.status::text = ANY($8::text[])
      RETURNING r.id::text AS id, r.number`,
      [
        channelId,
        receipt.providerMessageId,
        receipt.status,
        receipt.at,
        failure?.code ?? null,
        failure ? truncate(failure.message) : null,
        // Like the dispatch's provider_<class>: which rule ended the row, here a receipt's.
        failure ? `receipt_${failure.errorClass}` : null,
        from,
      ],
    );
    if (result.rows.length > 0) return { outcome: 'moved', rows: result.rows };
  }
  // Nothing moved: find out why, for the log (and the tests). Only on the no-op path.
  const current = await pool.query<{ status: LedgerStatus }>(
    `SELECT r.status::text AS status FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
      WHERE c.channel_id = $1 AND r.provider_message_id = $2 LIMIT 1`,
    [channelId, receipt.providerMessageId],
  );
  const row = current.rows[0];
  if (!row) return { outcome: 'unknown' };
  const decision = decideReceipt(row.status, receipt.status);
  // 'move' here means another receipt moved the row between our two statements: treat as duplicate.
  return { outcome: decision.action === 'move' ? 'duplicate' : decision.action, status: row.status };
}
