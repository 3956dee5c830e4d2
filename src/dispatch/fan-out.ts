/**
 * The launch (fan-out) step: one launch job turns a campaign's unsent recipients (pending, and
 * retrying: after a resume, a retrying row whose delayed job ran as a no-op during the pause has no
 * job left) into send jobs. A retrying row whose job still waits out its backoff is not disturbed:
 * the add under its job id is ignored.
 *
 * Progress is a cursor over recipient ids (`campaigns.enqueue_cursor`), advanced only after a chunk
 * of send jobs has been added — never when the chunk is read — so a crash at any point resumes
 * from the last chunk known to be enqueued: no recipient is skipped. Re-adding a chunk is safe:
 * a send job id is `r-<recipientId>`, so an add whose job still exists is ignored, and a job re-added
 * after it finished finds its recipient no longer claimable and completes as a no-op.
 *
 * Bounded: a 1,000,000-recipient campaign enqueued at once held ~712 MB of Redis (measured by the
 * launch benchmark). So before each chunk the fan-out counts the campaign's queued-but-unsettled
 * recipients (ids up to the cursor still pending, retrying or sending: an index range count) and,
 * once `maxAhead` are waiting, stops and re-schedules its launch job (AHEAD_RECHECK_MS later),
 * which resumes from the cursor and tops the queue up again. The queue stays ahead of the send
 * rate without holding the whole campaign.
 *
 * Paced by the channel, not only by count: a campaign on a rate-limited channel keeps at most
 * AHEAD_SECONDS of its channel's sustained rate queued (at least one chunk), added in chunks of
 * CHUNK_SECONDS of it (between FAN_OUT_FIRST_CHUNK and the chunk size). A send job a worker picks
 * up before the limiter has room for it is handed a slot and re-scheduled; it comes back through
 * BullMQ's wait list, behind every job waiting there. Measured at 500 sends/s with the whole
 * 13,000-job campaign queued at once: slot holders came back 0.7–4 s after their slots (median
 * 1.6 s: behind thousands of fresh jobs each being handed a slot), were refused again, and the
 * campaign averaged 2.3–3.4 re-schedules per send and gaps of 100–400 ms in its sends. With a short
 * queue fed in small chunks, a slot holder waits behind at most one chunk of fresh jobs. And the
 * jobs of such a campaign are added paced: each delayed to when the channel's limit would let it go
 * if the jobs already queued drained at that limit, spaced as the limiter spaces sends (its window
 * plus margin over the limit; `pacedDelay`), so most find room when they come
 * due instead of being handed a slot and re-scheduled first. The limiter still decides; pacing only
 * saves the round trip. (Where FAN_OUT_AHEAD bounds the lead — a channel faster than the queue — no
 * job is delayed.)
 *
 * A one-off message (campaigns.kind = 'message') is normally enqueued by the API itself, straight
 * into the priority lane (src/messages/enqueue-message.ts); it reaches a fan-out only when that
 * enqueue did not happen (Redis down at the time: the reconciler launches it) or on a resume. Its
 * send job then goes to the priority lane too, so a message is never queued behind campaigns.
 */
import { DelayedError, type Job, type Queue } from 'bullmq';
import type pg from 'pg';
import { AppError } from '../errors/index.js';
import { expireCampaign } from '../campaigns/lifecycle/expire-campaign.js';
import { allowedFrom, nextStatus } from '../campaigns/status-machine.js';
import type { Logger } from '../observability/logger.js';
import type { LaunchJobData, SendJobPayload } from '../queue/names.js';
import { sustainedRatePerSecond } from '../policy/rate-limits.js';
import { isRecord } from '../providers/answer-utils.js';
import { sendQueueOf } from '../queue/queues.js';
import { DEFAULT_LIMITER_MARGIN_MS, pacingIntervalMs } from '../queue/rate-limiter.js';
import { completeCampaignIfDone } from './campaign-completion.js';
import { sendJobOptions } from './send-job-options.js';

/** Recipients read and enqueued per chunk (addBulk is fastest near 1,000 — notes/bullmq.md). */
export const FAN_OUT_CHUNK = 1_000;
/** Default of `maxAhead`: config FAN_OUT_AHEAD. */
export const FAN_OUT_AHEAD = 20_000;
/**
 * The first chunk of a fan-out run: small, so the first sends are queued within milliseconds of
 * the launch instead of after a 1,000-job addBulk (~50–70 ms on the bench machine).
 */
export const FAN_OUT_FIRST_CHUNK = 50;
/**
 * A campaign keeps at most this many seconds of its channel's sustained rate queued ahead (and at
 * most `maxAhead` jobs, and at least one chunk).
 */
export const AHEAD_SECONDS = 2;
/** A campaign on a rate-limited channel is fed in chunks of this many seconds of its rate. */
export const CHUNK_SECONDS = 0.5;
/** How long a fan-out that reached `maxAhead` waits before it looks again. */
export const AHEAD_RECHECK_MS = 500;

export type FanOutResult =
  | { outcome: 'not-launchable'; status: string | null }
  | { outcome: 'expired'; recipientsExpired: number }
  | { outcome: 'stopped'; enqueued: number }
  | { outcome: 'fanned-out'; enqueued: number; completed: boolean };


export interface FanOutDeps {
  pool: pg.Pool;
  sendQueue: Pick<Queue<SendJobPayload>, 'addBulk'>;
  /** The one-off messages' lane; without it their jobs go to `sendQueue` as well. */
  priorityQueue?: Pick<Queue<SendJobPayload>, 'addBulk'>;
  log: Logger;
  chunkSize?: number;
  /**
   * Most of the campaign's send jobs queued and unsettled before the fan-out waits (default
   * FAN_OUT_AHEAD). Applies when the job can be re-scheduled (a BullMQ run with its token).
   */
  maxAhead?: number;
  /** The rate limiter's margin (config RATE_LIMIT_MARGIN_MS): paced jobs are spaced as it spaces sends. */
  limiterMarginMs?: number;
}

export type LaunchJob = Pick<Job<LaunchJobData>, 'data' | 'moveToDelayed'>;

/** Creates the launch job processor. */
export function createFanOutProcessor(deps: FanOutDeps): (job: LaunchJob, token?: string) => Promise<FanOutResult> {
  const moduleLog = deps.log.child({ module: 'fan-out' });
  const chunkSize = deps.chunkSize ?? FAN_OUT_CHUNK;
  const maxAhead = deps.maxAhead ?? FAN_OUT_AHEAD;
  const limiterMarginMs = deps.limiterMarginMs ?? DEFAULT_LIMITER_MARGIN_MS;

  return async function processLaunch(job, token) {
    const { campaignId } = job.data;
    const log = moduleLog.child({ campaignId });

    const started = await startCampaign(deps.pool, campaignId);
    if (!started) {
      const expired = await expireIfPastDue(campaignId, log);
      if (expired) return expired;
      const early = await msUntilSendTime(deps.pool, campaignId);
      if (early !== null && token) {
        // Fired before the campaign's send_time (clock skew, or it was rescheduled later): wait.
        log.info({ delayMs: early }, 'launch before send_time; delaying');
        await job.moveToDelayed(Date.now() + early, token);
        throw new DelayedError();
      }
      const status = await campaignStatus(deps.pool, campaignId);
      log.info({ status }, 'campaign not launchable; nothing to do');
      return { outcome: 'not-launchable', status };
    }
    if (started.fanOutCompletedAt) {
      const completed = await completeCampaignIfDone(deps.pool, campaignId);
      return { outcome: 'fanned-out', enqueued: 0, completed };
    }

    const queue = sendQueueOf({ send: deps.sendQueue, priority: deps.priorityQueue ?? deps.sendQueue }, started.kind);
    let cursor = started.enqueueCursor;
    let enqueued = 0;
    const chunk = chunkFor(started.ratePerSecond);
    const rateLead = Math.ceil(started.ratePerSecond * AHEAD_SECONDS);
    const ahead = Math.min(maxAhead, Math.max(chunk, rateLead));
    // Paced only where the channel's rate, not FAN_OUT_AHEAD, bounds the lead; never a one-off message.
    const paced = rateLead <= maxAhead && started.kind !== 'message';
    const spacingMs = paced ? pacingIntervalMs({ limit: started.ratePerSecond, windowMs: 1000 }, limiterMarginMs) : 0;
    let size = Math.min(chunk, FAN_OUT_FIRST_CHUNK);
    log.info({ cursor, ahead, chunk, spacingMs }, 'fan-out starting');
    for (;;) {
      const queued = token ? await queuedAhead(deps.pool, campaignId, cursor) : enqueued;
      if (token && queued >= ahead) {
        log.info({ cursor, enqueued, ahead }, 'fan-out ahead of the sends; waiting');
        await job.moveToDelayed(Date.now() + AHEAD_RECHECK_MS, token);
        throw new DelayedError();
      }
      // The number travels in the job so the pair rate limit is checked before any claim.
      // `sending` rows are included for a relaunch after Redis lost their jobs: a job that still
      // exists is not added twice (same id), and a new one waits out the lease before it reclaims.
      const { rows } = await deps.pool.query<{ id: string; number: string }>(
        `SELECT id, number FROM campaign_recipients
          WHERE campaign_id = $1 AND status IN ('pending', 'retrying', 'sending') AND id > $2
          ORDER BY id LIMIT $3`,
        [campaignId, cursor, size],
      );
      const last = rows[rows.length - 1];
      if (!last) break;
      await queue.addBulk(
        rows.map((r, i) => ({
          name: 'send',
          data: { campaignId, recipientId: r.id, number: r.number },
          opts: { ...sendJobOptions(r.id), ...pacedDelay(queued + i, spacingMs) },
        })),
      );
      enqueued += rows.length;
      cursor = last.id;
      // Guarded by status: a campaign paused or cancelled mid-fan-out stops here; its cursor stays at
      // the last chunk actually enqueued.
      const moved = await deps.pool.query(
        `UPDATE campaigns SET enqueue_cursor = GREATEST(enqueue_cursor, $2::bigint), updated_at = now()
          WHERE id = $1 AND status = ANY($3::"CampaignStatus"[])`,
        [campaignId, cursor, SENDING_STATUSES],
      );
      if (moved.rowCount === 0) {
        log.info({ cursor, enqueued }, 'campaign left running during fan-out; stopping');
        return { outcome: 'stopped', enqueued };
      }
      if (rows.length < size) break;
      size = chunk;
    }

    await deps.pool.query(
      `UPDATE campaigns SET fan_out_completed_at = now(), updated_at = now()
        WHERE id = $1 AND status = ANY($2::"CampaignStatus"[]) AND fan_out_completed_at IS NULL`,
      [campaignId, SENDING_STATUSES],
    );
    // A campaign with nothing pending (or whose sends all finished during the fan-out) completes here.
    const completed = await completeCampaignIfDone(deps.pool, campaignId);
    log.info({ enqueued, cursor, completed }, 'fan-out done');
    return { outcome: 'fanned-out', enqueued, completed };
  };

  /** The chunk size for a channel sending at most `ratePerSecond` (module comment). */
  function chunkFor(ratePerSecond: number): number {
    return Math.min(chunkSize, Math.max(FAN_OUT_FIRST_CHUNK, Math.ceil(ratePerSecond * CHUNK_SECONDS)));
  }

  /**
   * A scheduled campaign whose expires_at passed before its launch fired is expired (with its
   * recipients) instead of started. Null when it is not such a campaign, or something else moved it
   * first (a concurrent cancel or launch: then this job has nothing to do).
   */
  async function expireIfPastDue(campaignId: string, log: Logger): Promise<FanOutResult | null> {
    const { rows } = await deps.pool.query<{ now: Date }>(
      `SELECT now() AS now FROM campaigns
        WHERE id = $1 AND status = 'scheduled' AND expires_at IS NOT NULL AND expires_at <= now()`,
      [campaignId],
    );
    const now = rows[0]?.now;
    if (!now) return null;
    try {
      const expired = await expireCampaign(deps.pool, campaignId, { now, observed: 'scheduled' });
      log.info({ recipientsExpired: expired.recipientsExpired }, 'scheduled campaign past its expires_at at launch; expired instead of started');
      return { outcome: 'expired', recipientsExpired: expired.recipientsExpired };
    } catch (err) {
      if (err instanceof AppError && err.code === 'CAMPAIGN_STATE_CONFLICT') return null;
      throw err;
    }
  }
}

/** The statuses a launch job may start a campaign from (scheduled), by the status machine. */
const STARTABLE_STATUSES = allowedFrom('start');
/** The status a started campaign sends in (running): where `start` leads. */
const SENDING_STATUSES = [...new Set(STARTABLE_STATUSES.map((s) => nextStatus(s, 'start')!))];

interface StartedCampaign {
  /** campaign, or message (a one-off: its job goes to the priority lane). */
  kind: string;
  enqueueCursor: string;
  fanOutCompletedAt: Date | null;
  /** The most its channel's throughput limits let it send per second (sustainedRatePerSecond). */
  ratePerSecond: number;
}

/**
 * scheduled → running (`start`, guarded by the status machine; launched_at and started_at set on
 * first launch), or running → running (a re-launch: resume, reconciler, a retried launch job).
 * A scheduled campaign starts only once its send_time has come (1 s of clock tolerance), and only
 * while its expires_at is ahead (otherwise it is expired: expireIfPastDue).
 */
async function startCampaign(pool: pg.Pool, campaignId: string): Promise<StartedCampaign | null> {
  const { rows } = await pool.query<{
    kind: string;
    enqueue_cursor: string;
    fan_out_completed_at: Date | null;
    provider: 'yeastar' | 'connectly';
    rate_per_second: number;
    settings: unknown;
  }>(
    `UPDATE campaigns c
        SET status = 'running', launched_at = COALESCE(c.launched_at, now()),
            started_at = COALESCE(c.started_at, now()), updated_at = now()
       FROM channels ch
      WHERE c.id = $1 AND ch.id = c.channel_id
        AND (c.status = ANY($2::"CampaignStatus"[])
             OR (c.status = ANY($3::"CampaignStatus"[])
                 AND (c.send_time IS NULL OR c.send_time <= now() + interval '1 second')
                 AND (c.expires_at IS NULL OR c.expires_at > now())))
  RETURNING c.kind::text AS kind, c.enqueue_cursor, c.fan_out_completed_at,
            ch.provider::text AS provider, ch.rate_per_second, ch.settings`,
    [campaignId, SENDING_STATUSES, STARTABLE_STATUSES],
  );
  const row = rows[0];
  if (!row) return null;
  const settings = isRecord(row.settings) ? row.settings : {};
  return {
    kind: row.kind,
    enqueueCursor: row.enqueue_cursor,
    fanOutCompletedAt: row.fan_out_completed_at,
    ratePerSecond: sustainedRatePerSecond({ provider: row.provider, ratePerSecond: row.rate_per_second, settings }),
  };
}

/**
 * The delay of the `position`-th queued send of a paced campaign: when the channel's limit would
 * let it go if the queue ahead of it drained at that limit. Nothing for the first, or unpaced.
 */
function pacedDelay(position: number, spacingMs: number): { delay?: number } {
  const delay = Math.floor(position * spacingMs);
  return delay > 0 ? { delay } : {};
}

/**
 * How many of the campaign's recipients the fan-out has enqueued (ids up to `cursor`) and are not
 * settled yet: the send jobs it has waiting in Redis, give or take jobs that finished a moment ago.
 */
async function queuedAhead(pool: pg.Pool, campaignId: string, cursor: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM campaign_recipients
      WHERE campaign_id = $1 AND status IN ('pending', 'retrying', 'sending') AND id <= $2`,
    [campaignId, cursor],
  );
  return rows[0]?.n ?? 0;
}

/** For a scheduled campaign whose send_time is still ahead: how long until it. Otherwise null. */
async function msUntilSendTime(pool: pg.Pool, campaignId: string): Promise<number | null> {
  const { rows } = await pool.query<{ ms: number }>(
    `SELECT ceil(extract(epoch FROM send_time - now()) * 1000)::int AS ms FROM campaigns
      WHERE id = $1 AND status = 'scheduled' AND send_time > now()`,
    [campaignId],
  );
  return rows[0]?.ms ?? null;
}

async function campaignStatus(pool: pg.Pool, campaignId: string): Promise<string | null> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
  return rows[0]?.status ?? null;
}
