/**
 * Recording the outcome of one send attempt: one statement each. Every write is guarded by
 * `status = 'sending'` — only a row we claimed is ours to finish. A guard miss means another run of
 * the same job already recorded this send (a re-run after a lost lock); the first outcome stands.
 */
import type pg from 'pg';

export type SentContentKind = 'session' | 'template';

export interface ErrorDetails {
  code: string;
  message: string;
}

/** sending → sent. @returns false when the row was not ours any more. */
export async function recordSent(
  pool: pg.Pool,
  recipientId: string,
  sent: { providerMessageId: string; sentContent: SentContentKind },
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE campaign_recipients
        SET status = 'sent', provider_message_id = $2, sent_content = $3::"SentContent",
            sent_at = now(), lease_expires_at = NULL, last_error_code = NULL, last_error_message = NULL,
            updated_at = now()
      WHERE id = $1 AND status = 'sending'`,
    [recipientId, sent.providerMessageId, sent.sentContent],
  );
  return (result.rowCount ?? 0) > 0;
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

/** sending → retrying: the next attempt comes from BullMQ's retry of the same job. */
export async function recordRetrying(pool: pg.Pool, recipientId: string, error: ErrorDetails): Promise<boolean> {
  const result = await pool.query(
    `UPDATE campaign_recipients
        SET status = 'retrying', last_error_code = $2, last_error_message = $3,
            lease_expires_at = NULL, updated_at = now()
      WHERE id = $1 AND status = 'sending'`,
    [recipientId, error.code, truncate(error.message)],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Provider messages can be whole HTML error pages; the ledger keeps the first 1,000 characters. */
function truncate(message: string): string {
  return message.length > 1000 ? `${message.slice(0, 999)}…` : message;
}
