/**
 * Recording the outcome of one send attempt: one statement each (recordSent also for many rows at
 * once, recordSentBatch, which the send path uses through send-ledger.ts). Every write is guarded by
 * `status = 'sending'` — only a row we claimed is ours to finish. A guard miss means another run of
 * the same job already recorded this send (a re-run after a lost lock); the first outcome stands.
 */
import type pg from 'pg';
import { firstOfEachKey } from '../db/statement-batcher.js';

export type SentContentKind = 'session' | 'template';

export interface ErrorDetails {
  code: string;
  message: string;
}

/** sending → sent. @returns false when the row was not ours any more. */
export async function recordSent(
  pool: pg.Pool,
  recipientId: string,
  sent: { providerMessageId: string; sentContent: SentContentKind; reason?: string | null },
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE campaign_recipients
        SET status = 'sent', provider_message_id = $2, sent_content = $3::"SentContent", reason = $4,
            sent_at = now(), lease_expires_at = NULL, last_error_code = NULL, last_error_message = NULL,
            updated_at = now()
      WHERE id = $1 AND status = 'sending'`,
    [recipientId, sent.providerMessageId, sent.sentContent, sent.reason ?? null],
  );
  return (result.rowCount ?? 0) > 0;
}

/** One `recordSent` of a batch. */
export interface SentRequest {
  recipientId: string;
  providerMessageId: string;
  sentContent: SentContentKind;
  reason?: string | null;
}

/**
 * What a batched recordSent did with one request: `done` — whether the row was ours (as recordSent
 * answers); `contended` — the batch left the row alone (another transaction held it, or the same
 * recipient came twice in one batch): write it alone with recordSent, after the batch.
 */
export type BatchedWrite = { kind: 'done'; mine: boolean } | { kind: 'contended' };

/**
 * recordSent for many rows in one statement, each with its own values, under the same guard. Rows
 * are locked with `SKIP LOCKED` first so the batch never waits for a row lock while holding others
 * (see claimRecipients in recipient-claim.ts for why); a skipped row comes back `contended`.
 */
export async function recordSentBatch(pool: pg.Pool, requests: readonly SentRequest[]): Promise<BatchedWrite[]> {
  const results: BatchedWrite[] = requests.map(() => ({ kind: 'contended' }));
  // A recipient twice in one batch: the first goes now, the other alone after it (`contended`).
  const index = firstOfEachKey(requests, (r) => r.recipientId);
  const batch = index.map((i) => requests[i]!);
  const { rows } = await pool.query<{ n: string; locked: boolean; mine: boolean }>(
    `WITH input AS (
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::"SentContent"[], $4::text[])
                WITH ORDINALITY AS i(id, provider_message_id, sent_content, reason, n)
     ), locked AS (
       SELECT r.id FROM campaign_recipients r WHERE r.id = ANY($1::bigint[]) FOR NO KEY UPDATE SKIP LOCKED
     ), written AS (
       UPDATE campaign_recipients r
          SET status = 'sent', provider_message_id = i.provider_message_id, sent_content = i.sent_content,
              reason = i.reason, sent_at = now(), lease_expires_at = NULL, last_error_code = NULL,
              last_error_message = NULL, updated_at = now()
         FROM input i, locked l
        WHERE r.id = i.id AND l.id = i.id AND r.status = 'sending'
    RETURNING r.id
     )
     SELECT i.n, l.id IS NOT NULL AS locked, w.id IS NOT NULL AS mine
       FROM input i LEFT JOIN locked l ON l.id = i.id LEFT JOIN written w ON w.id = i.id`,
    [
      batch.map((r) => r.recipientId),
      batch.map((r) => r.providerMessageId),
      batch.map((r) => r.sentContent),
      batch.map((r) => r.reason ?? null),
    ],
  );
  for (const row of rows) {
    if (row.locked) results[index[Number(row.n) - 1]!] = { kind: 'done', mine: row.mine };
  }
  return results;
}

/** sending → failed, for good. `reason` says which rule ended it (e.g. provider_permanent). */
export async function recordFailed(
  pool: pg.Pool,
  recipientId: string,
  error: ErrorDetails & { reason: string },
  options: { fromStatuses?: readonly string[] } = {},
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE campaign_recipients
        SET status = 'failed', last_error_code = $2, last_error_message = $3, reason = $4,
            failed_at = now(), lease_expires_at = NULL, updated_at = now()
      WHERE id = $1 AND status::text = ANY($5::text[])`,
    [recipientId, error.code, truncate(error.message), error.reason, options.fromStatuses ?? ['sending']],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Where a row goes when its attempt ends without a send and the campaign may have ended meanwhile.
 * Cancel and expiry end only `pending`/`retrying` rows and leave `sending` ones to their claimant
 * (campaigns/lifecycle/unsent-recipients.ts), so a claimant that would put its row back in line
 * must look at the campaign: a terminal campaign's row takes the campaign's end instead (cancelled,
 * expired; failed for any other end), never `retrying` / `pending` in a campaign nobody will send.
 *
 * The campaign row is read `FOR SHARE`, which conflicts with the `FOR UPDATE` of every campaign
 * transition (guarded-transition.ts): either the cancel commits first and this statement sees it,
 * or this commits first and the cancel's own sweep of unsent rows, a later statement, sees the row.
 */
export const BACK_IN_LINE_SQL = `
  FROM (SELECT id, status::text AS status FROM campaigns
         WHERE id = (SELECT campaign_id FROM campaign_recipients WHERE id = $1) FOR SHARE) c
 WHERE r.id = $1 AND r.campaign_id = c.id AND r.status = 'sending'`;

/** The status of a row put back in line: `$line` while the campaign can still send it. */
export function backInLineStatus(line: string): string {
  return `(CASE c.status WHEN 'cancelled' THEN 'cancelled' WHEN 'expired' THEN 'expired'
                  WHEN 'completed' THEN 'failed' WHEN 'failed' THEN 'failed'
                  ELSE ${line} END)::"RecipientStatus"`;
}

/** True for a campaign status in which a row put back in line takes the campaign's end. */
export const CAMPAIGN_ENDED_SQL = `c.status IN ('cancelled', 'expired', 'completed', 'failed')`;

/** What a row put back in line became: still in line, or ended with its campaign. */
export type BackInLine = 'retrying' | 'pending' | 'cancelled' | 'expired' | 'failed';

/**
 * sending → retrying: the same job runs again later (it delays itself). `reason` keeps a decision
 * that must hold for the next attempt (`window_closed`: stay on the template); null leaves it.
 * When the campaign ended meanwhile, the row ends with it (see BACK_IN_LINE_SQL).
 * @returns the row's new status, or null when the row was not ours any more.
 */
export async function recordRetrying(
  pool: pg.Pool,
  recipientId: string,
  error: ErrorDetails,
  options: { reason?: string | null } = {},
): Promise<Exclude<BackInLine, 'pending'> | null> {
  const { rows } = await pool.query<{ status: Exclude<BackInLine, 'pending'> }>(
    `UPDATE campaign_recipients r
        SET status = ${backInLineStatus(`'retrying'`)},
            reason = CASE WHEN ${CAMPAIGN_ENDED_SQL} THEN 'campaign_' || c.status ELSE COALESCE($4, r.reason) END,
            failed_at = CASE WHEN c.status IN ('completed', 'failed') THEN now() ELSE r.failed_at END,
            last_error_code = $2, last_error_message = $3, lease_expires_at = NULL, updated_at = now()
     ${BACK_IN_LINE_SQL}
  RETURNING r.status::text AS status`,
    [recipientId, error.code, truncate(error.message), options.reason ?? null],
  );
  return rows[0]?.status ?? null;
}

/** sending → skipped: nothing was sent, by rule (suppressed, window closed without a fallback). */
export async function recordSkipped(pool: pg.Pool, recipientId: string, reason: string): Promise<boolean> {
  const result = await pool.query(
    `UPDATE campaign_recipients
        SET status = 'skipped', reason = $2, lease_expires_at = NULL, updated_at = now()
      WHERE id = $1 AND status = 'sending'`,
    [recipientId, reason],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * pending/retrying → expired, when the campaign is running and past its `expires_at` (checked here,
 * live — the caller's copy of expires_at may be a second old). A row in `sending` is left alone: an
 * earlier run may have sent it, and only its reclaim (same idempotency key) can find out.
 * @returns true when the row expired.
 */
export async function recordExpired(pool: pg.Pool, recipientId: string): Promise<boolean> {
  const result = await pool.query(
    `UPDATE campaign_recipients r
        SET status = 'expired', reason = 'campaign_expired', lease_expires_at = NULL, updated_at = now()
       FROM campaigns c
      WHERE r.id = $1 AND c.id = r.campaign_id AND c.status = 'running'
        AND c.expires_at IS NOT NULL AND c.expires_at <= now()
        AND r.status IN ('pending', 'retrying')`,
    [recipientId],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Provider messages can be whole HTML error pages; the ledger keeps the first 1,000 characters. */
function truncate(message: string): string {
  return message.length > 1000 ? `${message.slice(0, 999)}…` : message;
}
