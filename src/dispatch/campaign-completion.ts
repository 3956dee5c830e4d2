import type pg from 'pg';
import { allowedFrom } from '../campaigns/status-machine.js';
import { createStatementBatcher, type StatementBatcher } from '../db/statement-batcher.js';

/** Guards of the two ends, from the status machine (both: running). */
const COMPLETE_FROM = allowedFrom('complete');
const EXPIRE_FROM = allowedFrom('expire');

/**
 * Marks a campaign `completed` when nothing of it is left to do, in one statement:
 * it must still be running, its fan-out must have enqueued every recipient (otherwise a campaign
 * whose first chunk finished before the next was read would complete early), and no recipient may
 * be pending, sending or retrying. The `(campaign_id, status, id)` index answers the NOT EXISTS with
 * three short index probes, so calling this after every terminal outcome is cheap.
 *
 * Two workers finishing the last two recipients at once cannot both miss: each runs this after its
 * own outcome has committed, so the later of the two statements sees both outcomes.
 *
 * A campaign that reached its `expires_at` with recipients still unsent (now `expired`) ends
 * `expired` rather than `completed`, so a listing tells "all done" from "ran out of time"; one whose
 * every recipient was dealt with before the expiry is `completed` as usual.
 *
 * Both ends are guarded by the status machine (`allowedFrom('complete')` / `allowedFrom('expire')`).
 *
 * @returns true when this call completed the campaign.
 */
export async function completeCampaignIfDone(pool: pg.Pool, campaignId: string): Promise<boolean> {
  const result = await pool.query(
    `WITH ends AS (
       SELECT c.id, (c.expires_at IS NOT NULL AND c.expires_at <= now()
                     AND EXISTS (SELECT 1 FROM campaign_recipients e WHERE e.campaign_id = c.id AND e.status = 'expired')) AS ran_out
         FROM campaigns c WHERE c.id = $1)
     UPDATE campaigns c
        SET status = CASE WHEN ends.ran_out THEN 'expired'::"CampaignStatus" ELSE 'completed'::"CampaignStatus" END,
            finished_at = now(), updated_at = now()
       FROM ends
      WHERE c.id = ends.id
        AND c.status = ANY(CASE WHEN ends.ran_out THEN $3::"CampaignStatus"[] ELSE $2::"CampaignStatus"[] END)
        AND c.fan_out_completed_at IS NOT NULL
        AND NOT EXISTS (
              SELECT 1 FROM campaign_recipients r
               WHERE r.campaign_id = c.id AND r.status IN ('pending', 'sending', 'retrying'))`,
    [campaignId, COMPLETE_FROM, EXPIRE_FROM],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The send path's completion check: coalesced per process (see coalescedCompletion). */
export interface CompletionCheck {
  /** Resolves once a check that began after this call has run; true when it completed the campaign. */
  check(campaignId: string): Promise<boolean>;
  /** The check in flight and those asked for, or 0. */
  readonly size: number;
  /** Runs the checks already asked for (no linger) and resolves once none is left. */
  drain(): Promise<void>;
  /** Refuses new checks, then drains (graceful shutdown). */
  close(): Promise<void>;
}

/**
 * completeCampaignIfDone for the send path, which would otherwise run it after every terminal
 * outcome — one statement per send, almost all of which find work left. Calls are coalesced: at most
 * one check is in flight per process, and every call made while one runs is answered by the one
 * check that follows it (one statement per campaign asked for), never by the check already running.
 *
 * Why the argument above still holds: each caller calls after its own outcome committed, and the
 * check that answers it starts after the call, so it sees that outcome; of two processes finishing
 * the last two recipients at once, the later of their two answering checks sees both outcomes.
 * Lifecycle and reconciler callers keep calling completeCampaignIfDone directly.
 */
export function coalescedCompletion(pool: pg.Pool, options: { lingerMs?: number; schedule?(flush: () => void): void } = {}): CompletionCheck {
  const batcher: StatementBatcher<string, PromiseSettledResult<boolean>> = createStatementBatcher({
    name: 'campaign-completion',
    ...options,
    async run(campaignIds) {
      const distinct = [...new Set(campaignIds)];
      // Settled one by one: a failed check fails only the callers of its own campaign.
      const settled = await Promise.allSettled(distinct.map((id) => completeCampaignIfDone(pool, id)));
      const byCampaign = new Map(distinct.map((id, i) => [id, settled[i]!]));
      return campaignIds.map((id) => byCampaign.get(id)!);
    },
  });
  return {
    async check(campaignId) {
      const result = await batcher.submit(campaignId);
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    },
    get size() {
      return batcher.size;
    },
    drain: () => batcher.drain(),
    close: () => batcher.close(),
  };
}
