/**
 * When the demo stops before its campaigns complete (Ctrl-C, a stall, a timeout), it cancels them.
 * Otherwise they would stay `running`, and the reconciler of the next worker on this database —
 * the next demo's, or a real deployment's — would resume them against simulator ports that no
 * longer exist. Runs after the worker has stopped, through the same cancel operation as
 * `POST /v1/campaigns/:id/cancel` (the API has stopped by then too).
 */
import { cancelCampaign } from '../../src/campaigns/lifecycle/cancel-campaign.js';
import { createPool } from '../../src/db/connection.js';
import { AppError } from '../../src/errors/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createRedis } from '../../src/queue/connection.js';
import { createQueues } from '../../src/queue/queues.js';

/** Cancels those of `campaignIds` that have not finished; returns how many it cancelled. */
export async function cancelUnfinished(urls: { databaseUrl: string; redisUrl: string; queuePrefix: string }, campaignIds: string[]): Promise<number> {
  if (campaignIds.length === 0) return 0;
  const pool = createPool(urls.databaseUrl, 1);
  const redis = createRedis(urls.redisUrl);
  const queues = createQueues(redis, urls.queuePrefix);
  const deps = { pool, queues, log: createLogger({ level: 'silent', pretty: false }), now: () => new Date() };
  let cancelled = 0;
  try {
    for (const id of campaignIds) {
      try {
        await cancelCampaign(deps, id);
        cancelled++;
      } catch (err) {
        // Completed (or otherwise final) already: nothing to cancel.
        if (!(err instanceof AppError && err.code === 'CAMPAIGN_STATE_CONFLICT')) throw err;
      }
    }
  } finally {
    await queues.close();
    redis.disconnect();
    await pool.end();
  }
  return cancelled;
}
