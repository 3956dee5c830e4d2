/**
 * Claiming one recipient before its provider call: the guard against sending twice.
 *
 * Terminology
 * - claim: `pending`/`retrying` → `sending`, attempts + 1, a lease until now + LEASE. A row in
 *   `sending` means "a send may have happened": whoever sends it again must use the same
 *   idempotency key (it is derived from campaign + recipient, so every attempt does).
 * - lease: how long the claimant may take to finish. Longer than any provider call can last
 *   (the provider HTTP client gives up well before it), so a live lease means "the claimant may
 *   still be mid-call".
 *
 * The reclaim condition — when may a row already in `sending` be claimed again? Only the send job
 * of that recipient ever claims it (job id `r-<recipientId>`; BullMQ never holds two live jobs with
 * one id, and only the lock holder runs a job), so the question is whether an earlier run of the
 * same job can still be running:
 * - a plain retry (the earlier run threw — e.g. the outcome write hit a Postgres error — and BullMQ
 *   recorded the failed attempt) follows a run that has ended: reclaim at once (`previousRunEnded`);
 * - any other re-run (the stalled checker re-queued the job because its worker died or lost the
 *   lock; or the job delayed itself) cannot know that: the earlier run might be alive and mid-call
 *   with a lost lock. It reclaims only once the lease has expired; until then the processor delays
 *   the job to the lease's end (see send-recipient.ts). Even if the lease were too short, both runs
 *   carry the same idempotency key and the provider dedupes.
 * - the run that lost its lock, seen from its own side: it still believes it is the latest run of
 *   its job (its job object says it is the first), and if the re-run claimed the row first it would
 *   take the claim straight back as a "plain retry" and send a second time (same key; seen in the
 *   chaos suite at load 19). So the row records which run holds the claim (`claim_run`, BullMQ's
 *   attemptsStarted), and the at-once reclaim is allowed only from an earlier run: a plain retry is a
 *   later run than the one that failed; the run that lost its lock is an earlier run than the one
 *   holding the row, and waits for the lease like anybody else.
 * The claim also requires the campaign to be `running`, in the same statement, so a cancel or pause
 * takes effect at the next claim with no window in which a claim is taken and must be released.
 *
 * The same statement returns what the content decision needs about the number — its conversation
 * window on the campaign's channel and whether it is suppressed there or everywhere — as two
 * primary-key / indexed probes, so the window rules cost no extra round trip per send.
 *
 * A worker process claims through send-ledger.ts, which coalesces its concurrent claims into one
 * statement (claimRecipients): the same guards, evaluated per row with that row's own options, in
 * one transaction; each caller still gets its own row or null.
 */
import type pg from 'pg';
import { firstOfEachKey } from '../db/statement-batcher.js';
import { BACK_IN_LINE_SQL, backInLineStatus, CAMPAIGN_ENDED_SQL, type BackInLine } from './recipient-outcome.js';

/** The lease of a claim, in seconds. */
export const LEASE_SECONDS = 60;

export interface ClaimedRecipient {
  id: string;
  campaignId: string;
  number: string;
  variables: Record<string, unknown> | null;
  /** Attempts including this one. */
  attempts: number;
  /** The ledger reason so far (`window_closed`: an earlier attempt moved to the template). */
  reason: string | null;
  /** The number's last inbound message on the campaign's channel. */
  lastInboundAt: Date | null;
  /** The number is in `suppressions` for this channel or for all channels. */
  suppressed: boolean;
}

/** What one claim asks for (recipient-claim's module comment explains `previousRunEnded`). */
export interface ClaimOptions {
  previousRunEnded: boolean;
  /** Which run of the send job claims (BullMQ's attemptsStarted; increases with every run). */
  run: number;
  leaseSeconds?: number;
}

/** What the claim returns about the number, evaluated on the claimed row (`r`) and campaign (`c`). */
const CLAIMED_COLUMNS = `r.id, r.campaign_id, r.number, r.variables, r.attempts, r.reason,
            (SELECT w.last_inbound_at FROM conversation_windows w
              WHERE w.channel_id = c.channel_id AND w.number = r.number) AS last_inbound_at,
            EXISTS (SELECT 1 FROM suppressions s
                     WHERE s.number = r.number AND (s.channel_id = c.channel_id OR s.channel_id IS NULL)) AS suppressed`;

interface ClaimedRow {
  id: string;
  campaign_id: string;
  number: string;
  variables: Record<string, unknown> | null;
  attempts: number;
  reason: string | null;
  last_inbound_at: Date | null;
  suppressed: boolean;
}

/** Claims the recipient for one send attempt; null when it is not claimable (see module comment). */
export async function claimRecipient(pool: pg.Pool, recipientId: string, options: ClaimOptions): Promise<ClaimedRecipient | null> {
  const { rows } = await pool.query<ClaimedRow>(
    `UPDATE campaign_recipients r
        SET status = 'sending', attempts = r.attempts + 1,
            lease_expires_at = now() + make_interval(secs => $3), claim_run = $4, updated_at = now()
       FROM campaigns c
      WHERE r.id = $1
        AND c.id = r.campaign_id AND c.status = 'running'
        AND (r.status IN ('pending', 'retrying')
             OR (r.status = 'sending' AND (($2 AND COALESCE(r.claim_run, 0) < $4)
                                           OR COALESCE(r.lease_expires_at, '-infinity') <= now())))
  RETURNING ${CLAIMED_COLUMNS}`,
    [recipientId, options.previousRunEnded, options.leaseSeconds ?? LEASE_SECONDS, options.run],
  );
  return rows[0] ? toClaimed(rows[0]) : null;
}

/** One claim of a batch: the recipient and its own options. */
export interface ClaimRequest extends ClaimOptions {
  recipientId: string;
}

/**
 * What a batched claim did with one request: `done` — claimed (the row) or not claimable (null),
 * exactly as claimRecipient would have answered; `contended` — the batch left the row alone because
 * another transaction held it, or because the same recipient came twice in one batch. A contended
 * request must be claimed alone (claimRecipient), after the batch.
 */
export type BatchedClaim = { kind: 'done'; claim: ClaimedRecipient | null } | { kind: 'contended' };

/**
 * Claims many recipients in one statement, each under claimRecipient's guards and its own options
 * (`previousRunEnded`, lease), passed as parallel arrays.
 *
 * The rows are locked first with `FOR NO KEY UPDATE SKIP LOCKED` (the lock the UPDATE itself takes),
 * so the batch never waits for a row lock: a statement holding a hundred row locks while waiting for
 * one more could deadlock with a cancel's sweep of unsent rows (which locks in its own order); a
 * single-row claim holds nothing while it waits, so the skipped rows are handed back as `contended`
 * for exactly that statement. A row the
 * batch did lock is then updated under the same snapshot rules as the single-row claim (a row
 * changed by a transaction that committed after the statement began is re-checked, newest version).
 */
export async function claimRecipients(pool: pg.Pool, requests: readonly ClaimRequest[]): Promise<BatchedClaim[]> {
  const results: BatchedClaim[] = requests.map(() => ({ kind: 'contended' }));
  // A recipient twice in one batch: the first goes now, the other alone after it (`contended`).
  const index = firstOfEachKey(requests, (r) => r.recipientId);
  const batch = index.map((i) => requests[i]!);
  const { rows } = await pool.query<ClaimedRow & { n: string; locked: boolean; claimed: boolean }>(
    `WITH input AS (
       SELECT * FROM unnest($1::bigint[], $2::boolean[], $3::float8[], $4::int[]) WITH ORDINALITY AS i(id, previous_run_ended, lease_seconds, run, n)
     ), locked AS (
       SELECT r.id FROM campaign_recipients r WHERE r.id = ANY($1::bigint[]) FOR NO KEY UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE campaign_recipients r
          SET status = 'sending', attempts = r.attempts + 1,
              lease_expires_at = now() + make_interval(secs => i.lease_seconds), claim_run = i.run, updated_at = now()
         FROM input i, locked l, campaigns c
        WHERE r.id = i.id AND l.id = i.id
          AND c.id = r.campaign_id AND c.status = 'running'
          AND (r.status IN ('pending', 'retrying')
               OR (r.status = 'sending' AND ((i.previous_run_ended AND COALESCE(r.claim_run, 0) < i.run)
                                             OR COALESCE(r.lease_expires_at, '-infinity') <= now())))
    RETURNING ${CLAIMED_COLUMNS}
     )
     SELECT i.n, l.id IS NOT NULL AS locked, k.id IS NOT NULL AS claimed, k.id::text AS id, k.campaign_id, k.number,
            k.variables, k.attempts, k.reason, k.last_inbound_at, k.suppressed
       FROM input i LEFT JOIN locked l ON l.id = i.id LEFT JOIN claimed k ON k.id = i.id`,
    [
      batch.map((r) => r.recipientId),
      batch.map((r) => r.previousRunEnded),
      batch.map((r) => r.leaseSeconds ?? LEASE_SECONDS),
      batch.map((r) => r.run),
    ],
  );
  for (const row of rows) {
    const i = index[Number(row.n) - 1]!;
    if (row.claimed) results[i] = { kind: 'done', claim: toClaimed(row) };
    else if (row.locked) results[i] = { kind: 'done', claim: null };
  }
  return results;
}

function toClaimed(row: ClaimedRow): ClaimedRecipient {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    number: row.number,
    variables: row.variables,
    attempts: row.attempts,
    reason: row.reason,
    lastInboundAt: row.last_inbound_at,
    suppressed: row.suppressed,
  };
}

/**
 * Gives a claim back without having sent (the rate limiter refused at the last moment): the attempt
 * is not counted, and the row waits for the job's next run — or, when its campaign ended meanwhile,
 * ends with it (recipient-outcome.ts, BACK_IN_LINE_SQL). Guarded by `sending` like every outcome.
 * @returns the row's new status, or null when the row was not ours any more.
 */
export async function releaseClaim(pool: pg.Pool, recipientId: string): Promise<BackInLine | null> {
  const { rows } = await pool.query<{ status: BackInLine }>(
    `UPDATE campaign_recipients r
        SET status = ${backInLineStatus(`CASE WHEN r.attempts > 1 THEN 'retrying' ELSE 'pending' END`)},
            reason = CASE WHEN ${CAMPAIGN_ENDED_SQL} THEN 'campaign_' || c.status ELSE r.reason END,
            attempts = r.attempts - 1, lease_expires_at = NULL, updated_at = now()
     ${BACK_IN_LINE_SQL}
  RETURNING r.status::text AS status`,
    [recipientId],
  );
  return rows[0]?.status ?? null;
}

/** Why a claim found nothing to do. */
export type ClaimMiss =
  | { kind: 'gone' }
  | { kind: 'campaign-not-running'; campaignStatus: string }
  | { kind: 'lease-live'; leaseRemainingMs: number }
  | { kind: 'not-claimable'; status: string };

/** Explains a missed claim (only read on the miss path, so it costs nothing on a normal send). */
export async function explainClaimMiss(pool: pg.Pool, recipientId: string): Promise<ClaimMiss> {
  const { rows } = await pool.query<{ status: string; campaign_status: string; lease_ms: number | null }>(
    `SELECT r.status, c.status AS campaign_status,
            CASE WHEN r.status = 'sending' AND r.lease_expires_at > now()
                 THEN ceil(extract(epoch FROM r.lease_expires_at - now()) * 1000)::int END AS lease_ms
       FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
      WHERE r.id = $1`,
    [recipientId],
  );
  const row = rows[0];
  if (!row) return { kind: 'gone' };
  if (row.campaign_status !== 'running') return { kind: 'campaign-not-running', campaignStatus: row.campaign_status };
  if (row.lease_ms !== null) return { kind: 'lease-live', leaseRemainingMs: row.lease_ms };
  return { kind: 'not-claimable', status: row.status };
}
