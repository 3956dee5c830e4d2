/**
 * Sends per second of one campaign over the recent past, for the dashboard's plot: one GROUP BY
 * over the (campaign_id, sent_at) index. A recipient counts in the second its provider accepted it
 * (`sent_at`), whatever happened to it later (delivered, read).
 *
 * The answer is sparse — seconds without a send are left out — so a quiet hour costs nothing; the
 * reader fills the gaps with zeros. The window ends at `now` (the API's clock, as the rate of
 * GET /v1/campaigns/:id does) and starts `seconds` earlier.
 */
import type pg from 'pg';
import { AppError } from '../errors/index.js';
import { isUuid } from '../campaigns/uuid.js';

export const MAX_TIMELINE_SECONDS = 3600;
export const DEFAULT_TIMELINE_SECONDS = 300;

// The LEFT JOIN keeps the campaign row when no send falls in the window, so "no such campaign" and
// "nothing sent lately" are told apart in the same statement.
const TIMELINE_SQL = `
SELECT b.at, b.sent
  FROM campaigns c
  LEFT JOIN LATERAL (
    SELECT date_trunc('second', r.sent_at) AS at, count(*)::int AS sent
      FROM campaign_recipients r
     WHERE r.campaign_id = c.id AND r.sent_at >= $2 AND r.sent_at < $3
     GROUP BY 1
  ) b ON true
 WHERE c.id = $1
 ORDER BY b.at`;

export interface TimelineBucket {
  /** The start of the second, ISO 8601. */
  at: string;
  sent: number;
}

export interface CampaignTimeline {
  campaign_id: string;
  from: string;
  until: string;
  bucket_seconds: 1;
  /** Seconds with at least one send, oldest first. */
  buckets: TimelineBucket[];
}

/**
 * Reads the sends per second of the `seconds` up to `now`.
 * @throws AppError CAMPAIGN_NOT_FOUND
 */
export async function readCampaignTimeline(
  pool: Pick<pg.Pool, 'query'>,
  campaignId: string,
  options: { seconds: number; now: Date },
): Promise<CampaignTimeline> {
  if (!isUuid(campaignId)) throw new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${campaignId}`);
  const until = options.now;
  const from = new Date(until.getTime() - options.seconds * 1000);
  const { rows } = await pool.query<{ at: Date | null; sent: number | null }>(TIMELINE_SQL, [campaignId, from, until]);
  if (rows.length === 0) throw new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${campaignId}`);
  const buckets = rows.flatMap((r) => (r.at === null || r.sent === null ? [] : [{ at: r.at.toISOString(), sent: r.sent }]));
  return { campaign_id: campaignId, from: from.toISOString(), until: until.toISOString(), bucket_seconds: 1, buckets };
}
