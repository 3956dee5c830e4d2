/**
 * Uploading a CSV of recipients into a campaign's ledger, as one transaction:
 *
 * 1. lock the campaign row and check it is `draft` or `scheduled` (before a byte of the body is
 *    read, so a wrong campaign costs the client nothing but the request line);
 * 2. COPY the accepted rows into a temporary staging table as the body streams in (csv-copy.ts),
 *    and move them on into the ledger, duplicates refused, chunk by chunk while the rest of the
 *    body is still being read (merge-staged-recipients.ts);
 * 4. add the count to `campaigns.recipient_count`; commit.
 *
 * Any failure — a broken header, a body over the limit, a client that goes away mid-upload, a
 * database error — rolls everything back: an upload is taken whole or not at all.
 *
 * The lock (FOR NO KEY UPDATE) serialises uploads into one campaign, so the duplicate check sees
 * every earlier upload, and holds a launch back until the upload has committed; it does not block
 * inserts of ledger rows by others (they take FOR KEY SHARE). A second upload waits for the first
 * at most LOCK_WAIT, then gets CAMPAIGN_BUSY.
 */
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { isUuid } from '../campaigns/uuid.js';
import { AppError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { copyCsv } from './csv-copy.js';
import type { Delimiter } from './csv-dialect.js';
import { campaignHasRecipients, CREATE_STAGING_SQL, prepareMerge, StagedMerge } from './merge-staged-recipients.js';
import { recipientRows } from './recipient-rows.js';
import { MAX_LISTED_REJECTIONS, mergeByLine, type Rejection } from './rejections.js';

/** Campaign states that still take recipients. */
export const UPLOADABLE_STATES = ['draft', 'scheduled'] as const;

const LOCK_WAIT = '10s';

export interface UploadRecipientsDeps {
  pool: pg.Pool;
  log: Logger;
}

export interface UploadRecipientsInput {
  campaignId: string;
  body: Readable;
  delimiter?: Delimiter;
  maxBodyBytes: number;
  /** Rows staged and merged at a time (tests use small chunks); default MERGE_CHUNK_ROWS. */
  mergeChunkRows?: number;
  /** Bytes of COPY text per chunk at most (tests use small chunks); default MERGE_CHUNK_BYTES. */
  mergeChunkBytes?: number;
}

/** The answer to an upload. rejected_total = rejected + duplicates; accepted + rejected_total = data rows. */
export interface UploadRecipientsResult {
  accepted: number;
  /** Rows refused for what they hold (bad or missing number, wrong field count, …). */
  rejected: number;
  /** Rows refused because the file or the campaign already had their number. */
  duplicates: number;
  rejected_total: number;
  /** The first MAX_LISTED_REJECTIONS refused rows, in line order. */
  rejections: Rejection[];
  /** The campaign's recipient count after the upload. */
  recipient_count: number;
}

/** @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_STATE_CONFLICT, CAMPAIGN_BUSY, CSV_*, PAYLOAD_TOO_LARGE, UPLOAD_INCOMPLETE */
export async function uploadRecipients(deps: UploadRecipientsDeps, input: UploadRecipientsInput): Promise<UploadRecipientsResult> {
  const { campaignId } = input;
  if (!isUuid(campaignId)) throw new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${campaignId}`);
  const started = Date.now();
  const client = await deps.pool.connect();
  let failed = true;
  let merge: StagedMerge | undefined;
  try {
    await client.query('BEGIN');
    await lockUploadableCampaign(client, campaignId);
    await client.query(CREATE_STAGING_SQL);
    await prepareMerge(client);
    const direct = !(await campaignHasRecipients(client, campaignId));
    merge = new StagedMerge({ client, campaignId, listLimit: MAX_LISTED_REJECTIONS, chunkRows: input.mergeChunkRows, chunkBytes: input.mergeChunkBytes, direct });
    const sink = merge;
    const copy = await copyCsv({
      source: input.body,
      delimiter: input.delimiter,
      maxBodyBytes: input.maxBodyBytes,
      processor: recipientRows,
      startCopy: () => sink,
    });
    const merged = sink.result();
    if (sink.staged !== copy.accepted || merged.inserted + merged.duplicates !== copy.accepted) {
      throw new Error(`upload: ${copy.accepted} rows accepted, ${sink.staged} staged, ${merged.inserted} + ${merged.duplicates} merged`);
    }
    const { rows } = await client.query<{ recipient_count: number }>(
      'UPDATE campaigns SET recipient_count = recipient_count + $2, updated_at = now() WHERE id = $1 RETURNING recipient_count',
      [campaignId, merged.inserted],
    );
    await client.query('COMMIT');
    failed = false;
    const result: UploadRecipientsResult = {
      accepted: merged.inserted,
      rejected: copy.rejections.total,
      duplicates: merged.duplicates,
      rejected_total: copy.rejections.total + merged.duplicates,
      rejections: mergeByLine(copy.rejections.listed, merged.listed),
      recipient_count: rows[0]!.recipient_count,
    };
    deps.log.info(
      { campaignId, accepted: result.accepted, rejected: result.rejected, duplicates: result.duplicates, bytes: copy.bytes, delimiter: copy.delimiter, ms: Date.now() - started, copyWaitMs: Math.round(sink.copyWaitMs), mergeMs: Math.round(sink.mergeMs), heldMs: Math.round(sink.heldMs) },
      'recipients uploaded',
    );
    return result;
  } finally {
    if (failed) {
      // No statement of the merge may still be running (or start) when we roll back.
      merge?.destroy();
      await merge?.settled();
      await rollback(client);
    }
    else client.release();
  }
}

/** @throws AppError CAMPAIGN_NOT_FOUND, CAMPAIGN_BUSY, CAMPAIGN_STATE_CONFLICT */
async function lockUploadableCampaign(client: pg.ClientBase, campaignId: string): Promise<void> {
  await client.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
  let status: string | undefined;
  try {
    const { rows } = await client.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1 FOR NO KEY UPDATE', [campaignId]);
    status = rows[0]?.status;
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') {
      throw new AppError('CAMPAIGN_BUSY', `campaign ${campaignId} is being changed by another request (another upload?); retry when it has finished`, { cause: err });
    }
    throw err;
  }
  await client.query('SET LOCAL lock_timeout TO DEFAULT');
  if (status === undefined) throw new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${campaignId}`);
  if (!(UPLOADABLE_STATES as readonly string[]).includes(status)) {
    throw new AppError('CAMPAIGN_STATE_CONFLICT', `recipients can be uploaded only to a draft or scheduled campaign; this one is ${status}`, {
      details: { status, allowed: [...UPLOADABLE_STATES] },
    });
  }
}

/** Rolls back; a connection that cannot even do that is closed rather than returned to the pool. */
async function rollback(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (err) {
    client.release(err as Error);
  }
}
