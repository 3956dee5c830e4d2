/**
 * Everything the progress of one campaign needs from its ledger, in one statement (one round trip):
 * counts per status, counts per reason for the unsent endings, and sends within the rate window.
 *
 * Cost: the counts and reasons read the `(campaign_id, status, id)` index (reasons then visit only
 * the skipped/failed/expired rows). The window count filters on `sent_at`; with an index on
 * `(campaign_id, sent_at)` it reads only the window's rows, without one it scans the campaign's
 * rows — fine for thousands, noticeable (~100 ms) at a million.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { RecipientStatus } from '../generated/prisma/enums.js';
import type { ReasonStatus } from './progress.js';

export interface LedgerSnapshot {
  statusCounts: { status: RecipientStatus; count: number }[];
  reasonCounts: { status: ReasonStatus; reason: string; count: number }[];
  /** Recipients with `sent_at` after `since`. */
  sentSince: number;
}

type Row = { kind: 'status' | 'reason' | 'window'; status: string | null; reason: string | null; n: number };

/**
 * Reads the ledger of one campaign.
 * @param since start of the rate window (exclusive).
 */
export async function readLedgerSnapshot(prisma: PrismaClient, campaignId: string, since: Date): Promise<LedgerSnapshot> {
  // Failed rows are grouped by the provider's code (what an operator acts on); skipped and expired
  // rows have no code, their `reason` is the rule that ended them.
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT 'status' AS kind, status::text AS status, NULL AS reason, count(*)::int AS n
      FROM campaign_recipients WHERE campaign_id = ${campaignId}::uuid
     GROUP BY status
    UNION ALL
    SELECT 'reason', status::text,
           COALESCE(CASE WHEN status = 'failed' THEN last_error_code END, reason, 'unknown'), count(*)::int
      FROM campaign_recipients
     WHERE campaign_id = ${campaignId}::uuid AND status IN ('skipped', 'failed', 'expired')
     GROUP BY 2, 3
    UNION ALL
    SELECT 'window', NULL, NULL, count(*)::int
      FROM campaign_recipients WHERE campaign_id = ${campaignId}::uuid AND sent_at > ${since}`;

  const snapshot: LedgerSnapshot = { statusCounts: [], reasonCounts: [], sentSince: 0 };
  for (const row of rows) {
    if (row.kind === 'status') snapshot.statusCounts.push({ status: row.status as RecipientStatus, count: row.n });
    else if (row.kind === 'reason') snapshot.reasonCounts.push({ status: row.status as ReasonStatus, reason: row.reason ?? 'unknown', count: row.n });
    else snapshot.sentSince = row.n;
  }
  return snapshot;
}
