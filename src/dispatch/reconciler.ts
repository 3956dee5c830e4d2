/**
 * The reconciler: repairs what Redis lost or never got. Postgres is the truth, so every few
 * seconds one worker (under a Redis lock) compares it with the queues:
 * - a `running` campaign whose fan-out has not finished gets its launch job again (the fan-out
 *   resumes from its cursor) — e.g. the worker running it died and the job was lost with Redis;
 * - a `scheduled` campaign whose send_time has passed gets its launch job — e.g. Redis was down
 *   when the API accepted it, or Redis lost the delayed job;
 * - a recipient of a fanned-out running campaign that still waits (pending, retrying, or sending
 *   under an expired lease), idle for a lease plus one interval, whose send job `r-<recipientId>`
 *   is missing from its lane's queue or sits in the failed set, gets its send job again
 *   (stranded-recipients.ts: looked up in Redis a page at a time, keyset-paged through the rows).
 *   A worker SIGKILLed until BullMQ fails a job as "stalled more than allowable limit" (send jobs are
 *   removed on failure), or a job lost with Redis, is recovered within about a minute — not after
 *   the ten-minute idle age this sweep used to wait for, which re-added every old row blindly.
 * - a fanned-out running campaign with nothing left to do is completed — the backstop of the send
 *   path's completion check, which a worker dying right after the last outcome would skip.
 * Every re-enqueue uses the deterministic job id, so one whose job still exists is a no-op. A
 * stranded recipient of a one-off message goes back to the priority lane (src/queue/names.ts).
 *
 * Redis lost everything (FLUSHALL, or restarted with nothing on disk): rather than wait for the
 * sweep to find every row, each pass also checks an epoch marker — a key written the first
 * time a pass runs against this Redis and never expired. When it is missing, every running
 * campaign's fan-out is rewound (cursor 0) and launched again: the fan-out re-adds a send job for
 * each recipient not yet settled, with the same job ids, and the claim keeps any that did go out
 * from going again. (Against a fresh deployment's Redis this finds no running campaign: a no-op.)
 * Scheduled campaigns whose delayed launch was lost are launched by the due-campaign rule once
 * their send_time passes, within one interval.
 *
 * Which launch job a campaign has: launch ids carry a number (`launch-<id>-<n>`: 0 for the first
 * launch, others for an early launch, a reschedule, each resume — campaigns/lifecycle/launch-jobs.ts),
 * and the number of a resume cannot be derived from the row. So the pass does not guess an id: it
 * lists the launch queue (small: one job per launch in flight, read in pages) and looks the
 * campaign up by its data. A campaign with a live launch job (waiting, delayed, active) is left
 * alone — whatever its number; one whose only launch job sits in the failed set (retries exhausted)
 * gets that job retried; one with none gets `launch-<id>-0` (free: finished launch jobs are removed).
 * A launch the API enqueues between the listing and the add makes a second fan-out of the same
 * campaign, which is harmless: both walk the same cursor and add the same send job ids.
 */
import { randomUUID } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import type { LaunchJobData } from '../queue/names.js';
import { enqueueLaunch } from '../queue/queues.js';
import { completeCampaignIfDone } from './campaign-completion.js';
import { LEASE_SECONDS } from './recipient-claim.js';
import { sweepStrandedRecipients, type SweepCursor, type SweepQueue } from './stranded-recipients.js';

/** Default period of a pass (config RECONCILE_INTERVAL_MS). */
export const RECONCILE_INTERVAL_MS = 30_000;
/**
 * How long a waiting row must have been idle before the sweep looks its job up: a lease (a row in
 * `sending` is not stranded before its lease ends anyway) plus one interval, so a job being added
 * right now (a fan-out chunk, a one-off message) is never raced.
 */
export function strandedAfterMs(intervalMs: number): number {
  return LEASE_SECONDS * 1000 + intervalMs;
}
const BATCH = 1_000;

export interface ReconcileReport {
  ran: boolean;
  /** Running campaigns relaunched because Redis had lost its state. */
  rebuiltAfterRedisLoss: number;
  launchesEnqueued: number;
  launchesRetried: number;
  /** Waiting rows old enough to be looked up in Redis. */
  sendsChecked: number;
  /** Send jobs added again: missing from Redis, or replacing a failed one. */
  sendsEnqueued: number;
  /** Running campaigns with nothing left to do that no worker had completed (completeSettledCampaigns). */
  campaignsCompleted: number;
}

export interface Reconciler {
  /** One pass, if this process gets the lock. */
  runOnce(): Promise<ReconcileReport>;
  /** Runs a pass now and then every interval. */
  start(): void;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

export interface ReconcilerDeps {
  pool: pg.Pool;
  queues: {
    launch: Queue<LaunchJobData>;
    send: SweepQueue;
    /** One-off messages' lane; without it their jobs go to `send`. */
    priority?: SweepQueue;
  };
  /** A non-blocking Redis connection for the lock. */
  redis: Redis;
  /** Redis key of the lock; include the queue prefix so deployments sharing a Redis do not collide. */
  lockKey: string;
  /** Redis key of the epoch marker (default `<lockKey>:epoch`). */
  epochKey?: string;
  log: Logger;
  intervalMs?: number;
  /** Idle age before a waiting row's job is looked up (default strandedAfterMs(intervalMs)). */
  strandedAfterMs?: number;
  /** Rows one pass may read (stranded-recipients.ts SWEEP_BUDGET); the next pass resumes. */
  sweepBudget?: number;
  now?: () => Date;
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const log = deps.log.child({ module: 'reconciler' });
  const intervalMs = deps.intervalMs ?? RECONCILE_INTERVAL_MS;
  const now = deps.now ?? (() => new Date());
  const token = randomUUID();
  const epochKey = deps.epochKey ?? `${deps.lockKey}:epoch`;
  // Where a pass that ran out of budget stopped; in Redis so whichever worker gets the lock next
  // resumes there. Lost with Redis' state, the next pass just starts over.
  const sweepCursorKey = `${deps.lockKey}:sweep-cursor`;
  const idleMs = deps.strandedAfterMs ?? strandedAfterMs(intervalMs);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function runOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      ran: false,
      rebuiltAfterRedisLoss: 0,
      launchesEnqueued: 0,
      launchesRetried: 0,
      sendsChecked: 0,
      sendsEnqueued: 0,
      campaignsCompleted: 0,
    };
    // The lock is held for (almost) the whole interval and not released: "one pass per interval
    // across the fleet", and a worker that dies mid-pass leaves the lock to expire by itself.
    const got = await deps.redis.set(deps.lockKey, token, 'PX', Math.max(1_000, intervalMs - 1_000), 'NX');
    if (got !== 'OK') return report;
    report.ran = true;
    if ((await deps.redis.set(epochKey, now().toISOString(), 'NX')) === 'OK') {
      report.rebuiltAfterRedisLoss = await rewindRunningCampaigns();
    }

    const { rows: campaigns } = await deps.pool.query<{ id: string }>(
      `SELECT id FROM campaigns
        WHERE (status = 'running' AND fan_out_completed_at IS NULL)
           OR (status = 'scheduled' AND send_time <= $1)
        ORDER BY id LIMIT $2`,
      [now(), BATCH],
    );
    const launches = campaigns.length > 0 ? await launchJobsOf(deps.queues.launch, new Set(campaigns.map((c) => c.id))) : new Map<string, CampaignLaunches>();
    for (const { id } of campaigns) {
      const jobs = launches.get(id);
      if (jobs?.live) continue;
      const failed = jobs?.failed.sort((a, b) => b.timestamp - a.timestamp)[0];
      if (failed) {
        await failed.retry('failed');
        report.launchesRetried += 1;
      } else {
        await enqueueLaunch(deps.queues, id, { now: now() });
        report.launchesEnqueued += 1;
      }
    }

    const saved = await deps.redis.get(sweepCursorKey);
    const sweep = await sweepStrandedRecipients(
      { pool: deps.pool, redis: deps.redis, lanes: { send: deps.queues.send, priority: deps.queues.priority ?? deps.queues.send } },
      { idleBefore: new Date(now().getTime() - idleMs), from: parseCursor(saved), budget: deps.sweepBudget },
    );
    if (sweep.next) await deps.redis.set(sweepCursorKey, JSON.stringify(sweep.next), 'EX', 3_600);
    else if (saved) await deps.redis.del(sweepCursorKey);
    report.sendsChecked = sweep.checked;
    report.sendsEnqueued = sweep.enqueued + sweep.replacedFailed;
    report.campaignsCompleted = await completeSettledCampaigns();
    if (report.rebuiltAfterRedisLoss || report.launchesEnqueued || report.launchesRetried || report.sendsEnqueued || report.campaignsCompleted) {
      log.info(report, 'reconciled');
    }
    if (sweep.next) log.info({ checked: sweep.checked, next: sweep.next }, 'stranded-recipient sweep continues next pass');
    return report;
  }

  /**
   * The backstop of the send path's completion check: a worker that died between writing a
   * campaign's last outcome and checking for completion (or whose coalesced check was still
   * waiting) leaves a campaign running with nothing left to do. Each fanned-out running campaign
   * is checked with the same guarded statement (one index probe when it is not done).
   */
  async function completeSettledCampaigns(): Promise<number> {
    const { rows } = await deps.pool.query<{ id: string }>(
      `SELECT id FROM campaigns WHERE status = 'running' AND fan_out_completed_at IS NOT NULL ORDER BY id LIMIT $1`,
      [BATCH],
    );
    let completed = 0;
    for (const { id } of rows) if (await completeCampaignIfDone(deps.pool, id)) completed += 1;
    return completed;
  }

  /** Rewinds every running campaign's fan-out and launches it again (see the top of this file). */
  async function rewindRunningCampaigns(): Promise<number> {
    const { rows } = await deps.pool.query<{ id: string }>(
      `UPDATE campaigns SET enqueue_cursor = 0, fan_out_completed_at = NULL, updated_at = now()
        WHERE status = 'running' RETURNING id`,
    );
    for (const { id } of rows) {
      // A launch number of its own, so a launch job still listed under another number is no obstacle.
      await enqueueLaunch(deps.queues, id, { now: now(), launchNumber: now().getTime() });
    }
    if (rows.length > 0) log.warn({ campaigns: rows.length }, 'Redis lost its state: running campaigns relaunched from Postgres');
    return rows.length;
  }

  function tick(): void {
    // A pass slower than the interval (a large sweep on a loaded box) is not stacked on itself.
    if (running) return;
    running = runOnce()
      .catch((err: unknown) => log.error({ err }, 'reconcile pass failed'))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    runOnce,
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** A saved sweep cursor; anything unreadable starts the sweep over. */
function parseCursor(saved: string | null): SweepCursor | undefined {
  if (!saved) return undefined;
  try {
    const c = JSON.parse(saved) as Partial<SweepCursor>;
    return typeof c.campaignId === 'string' && typeof c.status === 'string' && typeof c.afterId === 'string' ? (c as SweepCursor) : undefined;
  } catch {
    return undefined;
  }
}

/** Launch jobs read per page when listing the launch queue. */
const LAUNCH_PAGE = 500;
const LIVE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

interface CampaignLaunches {
  /** A launch job that will run or is running. */
  live: boolean;
  /** Launch jobs whose retries ran out. */
  failed: Job<LaunchJobData>[];
}

/** The launch jobs of the given campaigns, by campaign id (the whole queue, a page at a time). */
async function launchJobsOf(queue: Queue<LaunchJobData>, campaignIds: ReadonlySet<string>): Promise<Map<string, CampaignLaunches>> {
  const found = new Map<string, CampaignLaunches>();
  const entry = (id: string): CampaignLaunches => {
    let e = found.get(id);
    if (!e) found.set(id, (e = { live: false, failed: [] }));
    return e;
  };
  for (const state of [...LIVE_STATES, 'failed'] as const) {
    for (let start = 0; ; start += LAUNCH_PAGE) {
      // One state per call: BullMQ applies the range to each state separately.
      const page = await queue.getJobs([state], start, start + LAUNCH_PAGE - 1, true);
      for (const job of page) {
        const campaignId = job?.data?.campaignId;
        if (!campaignId || !campaignIds.has(campaignId)) continue;
        if (state === 'failed') entry(campaignId).failed.push(job);
        else entry(campaignId).live = true;
      }
      if (page.length < LAUNCH_PAGE) break;
    }
  }
  return found;
}
