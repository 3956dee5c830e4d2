import type pg from 'pg';

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
 * @returns true when this call completed the campaign.
 */
export async function completeCampaignIfDone(pool: pg.Pool, campaignId: string): Promise<boolean> {
  const result = await pool.query(
    `UPDATE campaigns c
        SET status = 'completed', finished_at = now(), updated_at = now()
      WHERE c.id = $1
        AND c.status = 'running'
        AND c.fan_out_completed_at IS NOT NULL
        AND NOT EXISTS (
              SELECT 1 FROM campaign_recipients r
               WHERE r.campaign_id = c.id AND r.status IN ('pending', 'sending', 'retrying'))`,
    [campaignId],
  );
  return (result.rowCount ?? 0) > 0;
}
