/**
 * What the lifecycle routes answer: where the campaign stands now and how its ledger is spread over
 * the recipient statuses (one GROUP BY over the (campaign_id, status, id) index).
 */
import type { CampaignStatus } from '../status-machine.js';
import { fullCounts, type RecipientCounts } from '../campaign-view.js';
import type { RecipientStatus } from '../../generated/prisma/enums.js';
import type { Queryable } from './guarded-transition.js';

export interface LifecycleAnswer {
  id: string;
  status: CampaignStatus;
  paused_at: string | null;
  cancelled_at: string | null;
  counts: RecipientCounts;
}

/** Reads the campaign's state and counts (after the transition committed). */
export async function lifecycleAnswer(db: Queryable, id: string): Promise<LifecycleAnswer> {
  const [campaign, groups] = await Promise.all([
    db.query<{ status: CampaignStatus; paused_at: Date | null; cancelled_at: Date | null }>(
      'SELECT status, paused_at, cancelled_at FROM campaigns WHERE id = $1',
      [id],
    ),
    db.query<{ status: RecipientStatus; count: number }>(
      'SELECT status, count(*)::int AS count FROM campaign_recipients WHERE campaign_id = $1 GROUP BY status',
      [id],
    ),
  ]);
  const row = campaign.rows[0];
  if (!row) throw new Error(`campaign ${id} vanished after its transition`);
  return {
    id,
    status: row.status,
    paused_at: row.paused_at?.toISOString() ?? null,
    cancelled_at: row.cancelled_at?.toISOString() ?? null,
    counts: fullCounts(groups.rows),
  };
}
