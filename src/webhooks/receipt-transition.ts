/**
 * What a delivery receipt does to a ledger row. Pure: no I/O.
 *
 * Receipts arrive late, twice, and out of order (WhatsApp does not guarantee order; "delivered" may
 * be skipped), so a receipt only ever moves a row forward along sent < delivered < read:
 * - `sent` never moves a row: every row we can correlate already is `sent` or beyond (the dispatch
 *   recorded it with the provider's message id). A Yeastar 30032 "sent successfully" is a `sent`
 *   receipt — the PBX handed the message to the carrier/Meta, which is not delivery to the handset.
 * - `delivered` moves sent → delivered; `read` moves sent or delivered → read (read implies
 *   delivered, so delivered_at is filled too when "delivered" was skipped).
 * - `failed` moves sent → failed, but never undoes delivered or read (a late or contradictory
 *   failure is outranked by proof that the message arrived).
 * - Our decision: `delivered` / `read` also move a `failed` row forward. A row with a provider id
 *   failed only through a receipt; a later delivered/read receipt is proof the message arrived, and
 *   the campaign's numbers should say so.
 * - Rows not yet sent (pending, sending, retrying) or closed without sending (skipped, cancelled,
 *   expired) are never touched: the dispatch owns them.
 *
 * The SQL applies this as one UPDATE guarded by `status = ANY(statusesMovedBy(receipt))`, so
 * concurrent and repeated receipts need no locking: the guard makes every outcome idempotent.
 */

export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

export type LedgerStatus = 'pending' | 'sending' | 'retrying' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped' | 'cancelled' | 'expired';

export const LEDGER_STATUSES: readonly LedgerStatus[] = ['pending', 'sending', 'retrying', 'sent', 'delivered', 'read', 'failed', 'skipped', 'cancelled', 'expired'];

export type ReceiptDecision =
  | { action: 'move'; to: LedgerStatus }
  /** Already there: a repeated receipt. */
  | { action: 'duplicate' }
  /** The row is further along (or the receipt says less than the row knows). */
  | { action: 'stale' }
  /** The row is not the receipts' to change (not sent yet, or closed without sending). */
  | { action: 'not_applicable' };

const RANK: Partial<Record<LedgerStatus, number>> = { sent: 1, delivered: 2, read: 3 };

/** The decision for a row in `current` receiving `receipt`. */
export function decideReceipt(current: LedgerStatus, receipt: ReceiptStatus): ReceiptDecision {
  if (current === receipt) return { action: 'duplicate' };
  if (current === 'failed') return receipt === 'delivered' || receipt === 'read' ? { action: 'move', to: receipt } : { action: 'stale' };
  const rank = RANK[current];
  if (rank === undefined) return { action: 'not_applicable' };
  if (receipt === 'failed') return current === 'sent' ? { action: 'move', to: 'failed' } : { action: 'stale' };
  return RANK[receipt]! > rank ? { action: 'move', to: receipt } : { action: 'stale' };
}

/** Every current status that `receipt` moves (the UPDATE's guard). */
export function statusesMovedBy(receipt: ReceiptStatus): LedgerStatus[] {
  return LEDGER_STATUSES.filter((s) => decideReceipt(s, receipt).action === 'move');
}
