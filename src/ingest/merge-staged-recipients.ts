/**
 * Moves an upload's staged rows into the campaign's ledger in one statement, and names the rows
 * that did not go in: a number an earlier line of the file already had (`duplicate_in_file` — the
 * first line wins, as for inline recipients), or one the campaign already had
 * (`duplicate_in_campaign`, counted by ON CONFLICT DO NOTHING).
 *
 * Ledger ids follow the file's line order (the INSERT selects ORDER BY line), so the fan-out, which
 * walks ids, sends in the order the file lists recipients.
 */
import type pg from 'pg';
import { rejection, type Rejection } from './rejections.js';

/** The staging table of one upload: a temporary table, gone at the end of the transaction. */
export const STAGING_TABLE = 'ingest_recipients';

export const CREATE_STAGING_SQL = `CREATE TEMPORARY TABLE ${STAGING_TABLE} (line bigint NOT NULL, number text NOT NULL, variables jsonb) ON COMMIT DROP`;
export const COPY_STAGING_SQL = `COPY ${STAGING_TABLE} (line, number, variables) FROM STDIN`;

const MERGE_SQL = `
WITH ranked AS MATERIALIZED (
  SELECT line, number, variables, row_number() OVER (PARTITION BY number ORDER BY line) AS rank
  FROM ${STAGING_TABLE}
), inserted AS (
  INSERT INTO campaign_recipients (campaign_id, number, variables)
  SELECT $1::uuid, number, variables FROM ranked WHERE rank = 1 ORDER BY line
  ON CONFLICT (campaign_id, number) DO NOTHING
  RETURNING number
), refused AS (
  SELECT r.line, r.number, r.rank > 1 AS in_file
  FROM ranked r
  WHERE r.rank > 1 OR NOT EXISTS (SELECT 1 FROM inserted i WHERE i.number = r.number)
)
SELECT line, number, in_file, count(*) OVER () AS total
FROM refused ORDER BY line LIMIT $2`;

export interface MergeResult {
  /** Staged rows that went into the ledger. */
  inserted: number;
  /** Staged rows refused as duplicates (all of them). */
  duplicates: number;
  /** The first `limit` duplicates in line order. */
  listed: Rejection[];
}

/**
 * @param staged how many rows the COPY staged (every staged row is either inserted or a duplicate).
 */
export async function mergeStagedRecipients(client: pg.ClientBase, campaignId: string, staged: number, limit: number): Promise<MergeResult> {
  if (staged === 0) return { inserted: 0, duplicates: 0, listed: [] };
  // The window and the anti-join sort and hash the whole upload; a few MB of work_mem would
  // spill a million rows to disk several times over.
  await client.query(`SET LOCAL work_mem = '64MB'`);
  // node-postgres returns bigint (line, total) as strings.
  const { rows } = await client.query<{ line: string; number: string; in_file: boolean; total: string }>(MERGE_SQL, [campaignId, limit]);
  await client.query('SET LOCAL work_mem TO DEFAULT');
  const duplicates = rows.length === 0 ? 0 : Number(rows[0]!.total);
  return {
    inserted: staged - duplicates,
    duplicates,
    listed: rows.map((r) => rejection(Number(r.line), r.in_file ? 'duplicate_in_file' : 'duplicate_in_campaign', r.number)),
  };
}
