import { decideReceipt, LEDGER_STATUSES, statusesMovedBy, type LedgerStatus, type ReceiptStatus } from '../../../src/webhooks/receipt-transition.js';

type Row = [LedgerStatus, ReceiptStatus, string];

/** The whole table: current status × receipt → what happens. */
const TABLE: Row[] = [
  ['sent', 'sent', 'duplicate'],
  ['sent', 'delivered', 'move:delivered'],
  ['sent', 'read', 'move:read'],
  ['sent', 'failed', 'move:failed'],
  ['delivered', 'sent', 'stale'],
  ['delivered', 'delivered', 'duplicate'],
  ['delivered', 'read', 'move:read'],
  ['delivered', 'failed', 'stale'],
  ['read', 'sent', 'stale'],
  ['read', 'delivered', 'stale'],
  ['read', 'read', 'duplicate'],
  ['read', 'failed', 'stale'],
  ['failed', 'sent', 'stale'],
  ['failed', 'delivered', 'move:delivered'],
  ['failed', 'read', 'move:read'],
  ['failed', 'failed', 'duplicate'],
  ...(['pending', 'sending', 'retrying', 'skipped', 'cancelled', 'expired'] as const).flatMap((s) =>
    (['sent', 'delivered', 'read', 'failed'] as const).map((r): Row => [s, r, 'not_applicable']),
  ),
];

describe('receipt transitions', () => {
  it.each(TABLE)('%s + %s receipt → %s', (current, receipt, expected) => {
    const decision = decideReceipt(current, receipt);
    expect(decision.action === 'move' ? `move:${decision.to}` : decision.action).toBe(expected);
  });

  it('covers every ledger status', () => {
    expect(new Set(TABLE.map(([s]) => s))).toEqual(new Set(LEDGER_STATUSES));
  });

  it('derives the UPDATE guard from the table', () => {
    expect(statusesMovedBy('sent')).toEqual([]);
    expect(statusesMovedBy('delivered')).toEqual(['sent', 'failed']);
    expect(statusesMovedBy('read')).toEqual(['sent', 'delivered', 'failed']);
    expect(statusesMovedBy('failed')).toEqual(['sent']);
  });

  it('ends in the same place whatever order the receipts come in', () => {
    const receipts: ReceiptStatus[] = ['sent', 'delivered', 'read'];
    const orders = [receipts, [...receipts].reverse(), ['read', 'sent', 'delivered', 'read'] as ReceiptStatus[]];
    for (const order of orders) {
      let status: LedgerStatus = 'sent';
      for (const r of order) {
        const d = decideReceipt(status, r);
        if (d.action === 'move') status = d.to;
      }
      expect(status).toBe('read');
    }
  });
});
