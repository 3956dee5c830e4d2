/**
 * The reconciler's sweep for stranded recipients: rows of a fanned-out running campaign that still
 * wait to be sent (pending, retrying, or sending under an expired lease) but whose send job is gone
 * from Redis — or sits in the failed set, which no worker takes jobs from. Such a row would wait
 * forever: only its job ever claims it (recipient-claim.ts). Typical causes: a job BullMQ failed as
 * "stalled more than allowable limit" after repeated worker kills (send jobs are removeOnFail), a job
 * lost with Redis' state, a failed-send handler whose ledger write hit a Postgres outage.
 *
 * Why Redis is asked and not only the row's age: a campaign sending at its channel's rate keeps
 * most rows pending for a long time, each with a live job. So the age is only a guard against
 * racing a job being (re)added — a lease plus one reconcile interval — and the deciding question is
 * "does `r-<recipientId>` exist in its lane's queue, and not as failed?": one EXISTS on the job hash
 * and one ZSCORE on the failed set per row, pipelined a page at a time, so 20,000 rows cost a few
 * dozen round trips. A missing job is added again under the same id; a failed one is removed and
 * added (a fresh attempt count). A job that exists in any other state (waiting, delayed, active,
 * prioritized) is left alone: BullMQ moves it along, and an active job whose worker died comes back
 * through the stalled check.
 *
 * Paging, and why per (campaign, status): the index is (campaign_id, status, id), so each page is
 * one range scan — `status = $2 AND id > $3 ORDER BY id` — and a backlog of any size is read in
 * linear time. Rows that change status while the sweep walks may be missed (the next pass sees
 * them) or seen twice (adding an existing id is a no-op). A pass reads at most `budget` rows and
 * returns where it stopped; the next pass resumes there, so a million-row backlog costs each pass a
 * bounded slice instead of the whole table.
 *
 * Races that remain are harmless: a row read just before its job completed and was removed gets a
 * new job, whose claim finds the row final and ends as a no-op.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { sendJobId, type SendJobPayload } from '../queue/names.js';
import { sendQueueOf } from '../queue/queues.js';
import { sendJobOptions } from './send-job-options.js';

/** What the sweep needs of a send queue: add, the key names, and removing a failed job. */
export type SweepQueue = Pick<Queue<SendJobPayload>, 'addBulk' | 'toKey' | 'remove'>;

/** Rows read (and checked in Redis) per round trip. */
export const SWEEP_PAGE = 1_000;
/** Rows one pass reads at most before it leaves the rest to the next pass. */
export const SWEEP_BUDGET = 50_000;

/** The statuses a row waits in; the order of the walk within a campaign. */
const WAITING = ['pending', 'retrying', 'sending'] as const;

/** Where a pass stopped: the next one starts at this campaign and status, after this row id. */
export interface SweepCursor {
  campaignId: string;
  status: (typeof WAITING)[number];
  afterId: string;
}

export interface SweepDeps {
  pool: pg.Pool;
  /** A non-blocking connection to the queues' Redis. */
  redis: Redis;
  lanes: { send: SweepQueue; priority: SweepQueue };
}

export interface SweepResult {
  /** Waiting rows old enough to be looked up in Redis. */
  checked: number;
  /** Rows whose job was missing: added again. */
  enqueued: number;
  /** Rows whose job sat in the failed set: removed and added again. */
  replacedFailed: number;
  /** Set when the budget ran out before the last campaign: where the next pass resumes. */
  next?: SweepCursor;
}

/**
 * One pass over the waiting rows idle since before `idleBefore`, starting at `from` (default the
 * beginning), reading at most `budget` rows.
 */
export async function sweepStrandedRecipients(
  deps: SweepDeps,
  options: { idleBefore: Date; from?: SweepCursor; budget?: number; pageSize?: number },
): Promise<SweepResult> {
  const budget = options.budget ?? SWEEP_BUDGET;
  const pageSize = Math.min(options.pageSize ?? SWEEP_PAGE, budget);
  const result: SweepResult = { checked: 0, enqueued: 0, replacedFailed: 0 };
  // Only campaigns with at least one waiting row old enough (one index probe each), so a burst of
  // one-off messages, each a campaign of one fresh row, costs one query rather than three apiece.
  const { rows: campaigns } = await deps.pool.query<{ id: string; kind: string }>(
    `SELECT c.id, c.kind::text AS kind FROM campaigns c
      WHERE c.status = 'running' AND c.fan_out_completed_at IS NOT NULL AND c.id >= $1::uuid
        AND EXISTS (SELECT 1 FROM campaign_recipients r
                     WHERE r.campaign_id = c.id AND r.status IN ('pending', 'retrying', 'sending') AND r.updated_at < $2)
      ORDER BY c.id`,
    [options.from?.campaignId ?? '00000000-0000-0000-0000-000000000000', options.idleBefore],
  );
  let read = 0;
  for (const campaign of campaigns) {
    const queue = sendQueueOf(deps.lanes, campaign.kind);
    const resume = options.from?.campaignId === campaign.id ? options.from : undefined;
    for (const status of WAITING.slice(resume ? WAITING.indexOf(resume.status) : 0)) {
      let afterId = resume?.status === status ? resume.afterId : '0';
      for (;;) {
        if (read >= budget) {
          result.next = { campaignId: campaign.id, status, afterId };
          return result;
        }
        const { rows } = await deps.pool.query<{ id: string; number: string }>(
          // `r.id` in ORDER BY: a bare `id` would sort by the text output column, not the bigint.
          `SELECT r.id::text AS id, r.number FROM campaign_recipients r
            WHERE r.campaign_id = $1 AND r.status = $2::"RecipientStatus" AND r.id > $3::bigint
              AND r.updated_at < $4
              AND (r.status <> 'sending' OR COALESCE(r.lease_expires_at, '-infinity') <= now())
            ORDER BY r.id LIMIT $5`,
          [campaign.id, status, afterId, options.idleBefore, Math.min(pageSize, budget - read)],
        );
        if (rows.length === 0) break;
        read += rows.length;
        result.checked += rows.length;
        await requeueWithoutJob(deps.redis, queue, campaign.id, rows, result);
        afterId = rows[rows.length - 1]!.id;
        if (rows.length < pageSize) break;
      }
    }
  }
  return result;
}

/** Looks the rows' jobs up in one pipeline; adds the missing ones, replaces the failed ones. */
async function requeueWithoutJob(
  redis: Redis,
  queue: SweepQueue,
  campaignId: string,
  rows: { id: string; number: string }[],
  result: SweepResult,
): Promise<void> {
  const failedKey = queue.toKey('failed');
  const pipeline = redis.pipeline();
  for (const r of rows) {
    const jobId = sendJobId(r.id);
    pipeline.exists(queue.toKey(jobId));
    pipeline.zscore(failedKey, jobId);
  }
  const answers = (await pipeline.exec()) ?? [];
  const absent: typeof rows = [];
  const failed: typeof rows = [];
  rows.forEach((r, i) => {
    const [existsErr, exists] = answers[2 * i] ?? [];
    const [failedErr, failedScore] = answers[2 * i + 1] ?? [];
    if (existsErr || failedErr) throw existsErr ?? failedErr;
    if (exists === 0) absent.push(r);
    else if (failedScore !== null) failed.push(r);
  });
  for (const r of failed) {
    // remove() refuses a locked job: one that left the failed set meanwhile and is running. The
    // add below is then a no-op (the id exists).
    await queue.remove(sendJobId(r.id)).catch(() => 0);
  }
  const requeue = [...absent, ...failed];
  if (requeue.length === 0) return;
  await queue.addBulk(
    requeue.map((r) => ({ name: 'send', data: { campaignId, recipientId: r.id, number: r.number }, opts: sendJobOptions(r.id) })),
  );
  result.enqueued += absent.length;
  result.replacedFailed += failed.length;
}
