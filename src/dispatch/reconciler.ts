/**
 * The reconciler: repairs what Redis lost or never got. Postgres is the truth, so every few
 * seconds one worker (under a Redis lock) compares it with the queues:
 * - a `running` campaign whose fan-out has not finished gets its launch job again (the fan-out
 *   resumes from its cursor) — e.g. the worker running it died and the job was lost with Redis;
 * - a `scheduled` campaign whose send_time has passed gets its launch job — e.g. Redis was down
 *   when the API accepted it, or Redis lost the delayed job;
 * - recipients of a fanned-out running campaign that have sat pending/sending/retrying for longer
 *   than any retry could take get their send job again.
 * Every re-enqueue uses the deterministic job id, so one whose job still exists is a no-op. A launch
 * job kept in the failed set (retries exhausted) blocks its id, so that one is retried instead.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { RETRY_CAP_MS } from '../policy/backoff.js';
import { launchJobId, type LaunchJobData } from '../queue/names.js';
import { enqueueLaunch } from '../queue/queues.js';
import { LEASE_SECONDS } from './recipient-claim.js';
import type { SendJobPayload } from './send-job-data.js';
import { sendJobOptions } from './send-job-options.js';

export const RECONCILE_INTERVAL_MS = 30_000;
/** Longer than the longest computed retry delay plus a lease: a row idle this long has no job. */
export const STRANDED_AFTER_MS = RETRY_CAP_MS + LEASE_SECONDS * 1000 + 4 * 60_000;
const BATCH = 1_000;

export interface ReconcileReport {
  ran: boolean;
  launchesEnqueued: number;
  launchesRetried: number;
  sendsEnqueued: number;
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
  queues: { launch: Queue<LaunchJobData>; send: Pick<Queue<SendJobPayload>, 'addBulk'> };
  /** A non-blocking Redis connection for the lock. */
  redis: Redis;
  /** Redis key of the lock; include the queue prefix so deployments sharing a Redis do not collide. */
  lockKey: string;
  log: Logger;
  intervalMs?: number;
  now?: () => Date;
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const log = deps.log.child({ module: 'reconciler' });
  const intervalMs = deps.intervalMs ?? RECONCILE_INTERVAL_MS;
  const now = deps.now ?? (() => new Date());
  const token = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = { ran: false, launchesEnqueued: 0, launchesRetried: 0, sendsEnqueued: 0 };
    // The lock is held for (almost) the whole interval and not released: "one pass per interval
    // across the fleet", and a worker that dies mid-pass leaves the lock to expire by itself.
    const got = await deps.redis.set(deps.lockKey, token, 'PX', Math.max(1_000, intervalMs - 1_000), 'NX');
    if (got !== 'OK') return report;
    report.ran = true;

    const { rows: campaigns } = await deps.pool.query<{ id: string }>(
      `SELECT id FROM campaigns
        WHERE (status = 'running' AND fan_out_completed_at IS NULL)
           OR (status = 'scheduled' AND send_time <= $1)
        ORDER BY id LIMIT $2`,
      [now(), BATCH],
    );
    for (const { id } of campaigns) {
      const existing = await deps.queues.launch.getJob(launchJobId(id));
      const state = existing ? await existing.getState() : undefined;
      if (existing && state === 'failed') {
        await existing.retry('failed');
        report.launchesRetried += 1;
      } else if (!existing) {
        await enqueueLaunch(deps.queues, id, { now: now() });
        report.launchesEnqueued += 1;
      }
    }

    const { rows: stranded } = await deps.pool.query<{ id: string; campaign_id: string; number: string }>(
      `SELECT r.id, r.campaign_id, r.number FROM campaigns c
         JOIN campaign_recipients r ON r.campaign_id = c.id
        WHERE c.status = 'running' AND c.fan_out_completed_at IS NOT NULL
          AND r.status IN ('pending', 'sending', 'retrying')
          AND r.updated_at < $1
        ORDER BY r.id LIMIT $2`,
      [new Date(now().getTime() - STRANDED_AFTER_MS), BATCH],
    );
    if (stranded.length > 0) {
      await deps.queues.send.addBulk(
        stranded.map((r) => ({
          name: 'send',
          data: { campaignId: r.campaign_id, recipientId: r.id, number: r.number },
          opts: sendJobOptions(r.id),
        })),
      );
      report.sendsEnqueued = stranded.length;
    }
    if (report.launchesEnqueued || report.launchesRetried || report.sendsEnqueued) log.info(report, 'reconciled');
    return report;
  }

  function tick(): void {
    running = runOnce().catch((err: unknown) => log.error({ err }, 'reconcile pass failed'));
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
