/**
 * Contacts uploaded as CSV, streamed straight into `contacts` with COPY in one transaction (the
 * same pipeline as recipient uploads, src/ingest/csv-copy.ts). Contacts have no uniqueness to
 * check, so there is no staging table: rows go where they belong as they arrive. A failure — or a
 * client that leaves mid-upload — rolls the whole upload back.
 *
 * The phonebook row is locked FOR KEY SHARE for the duration, so it cannot be deleted under the
 * upload (a DELETE waits for it) while other uploads to the same phonebook proceed side by side.
 */
import type { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { copyCsv } from '../ingest/csv-copy.js';
import type { Delimiter } from '../ingest/csv-dialect.js';
import type { Rejection } from '../ingest/rejections.js';
import type { Logger } from '../observability/logger.js';
import { CONTACT_COPY_COLUMNS, contactRows } from './contact-rows.js';
import { isPhonebookId, phonebookNotFound } from './phonebook-store.js';

export interface AddedContacts {
  accepted: number;
  rejected: number;
  rejected_total: number;
  rejections: Rejection[];
}

export interface UploadContactsInput {
  phonebookId: string;
  body: Readable;
  delimiter?: Delimiter;
  maxBodyBytes: number;
}

const COPY_SQL = `COPY contacts (${CONTACT_COPY_COLUMNS.join(', ')}) FROM STDIN`;

/** @throws AppError PHONEBOOK_NOT_FOUND, CSV_*, PAYLOAD_TOO_LARGE, UPLOAD_INCOMPLETE */
export async function uploadContacts(deps: { pool: pg.Pool; log: Logger }, input: UploadContactsInput): Promise<AddedContacts> {
  const { phonebookId } = input;
  if (!isPhonebookId(phonebookId)) throw phonebookNotFound(phonebookId);
  const client = await deps.pool.connect();
  let failed = true;
  try {
    await client.query('BEGIN');
    const found = await client.query('SELECT 1 FROM phonebooks WHERE id = $1 FOR KEY SHARE', [phonebookId]);
    if ((found.rowCount ?? 0) === 0) throw phonebookNotFound(phonebookId);
    const copy = await copyCsv({
      source: input.body,
      delimiter: input.delimiter,
      maxBodyBytes: input.maxBodyBytes,
      processor: contactRows(phonebookId),
      startCopy: () => client.query(copyStreams.from(COPY_SQL)),
    });
    await client.query('COMMIT');
    failed = false;
    deps.log.info({ phonebookId, accepted: copy.accepted, rejected: copy.rejections.total, bytes: copy.bytes }, 'contacts uploaded');
    return { accepted: copy.accepted, rejected: copy.rejections.total, rejected_total: copy.rejections.total, rejections: copy.rejections.listed };
  } finally {
    if (failed) {
      await client.query('ROLLBACK').then(
        () => client.release(),
        (err: Error) => client.release(err),
      );
    } else {
      client.release();
    }
  }
}
