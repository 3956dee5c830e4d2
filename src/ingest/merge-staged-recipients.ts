/**
 * Moves an upload's rows into the campaign's ledger while the body is still streaming in, and
 * names the rows that did not go in: a number an earlier line of the file already had
 * (`duplicate_in_file` — the first line wins, as for inline recipients), or one the campaign
 * already had before the upload (`duplicate_in_campaign`).
 *
 * Why while streaming: the ledger insert (a heap row, five index entries and a foreign-key check
 * per row) is the most expensive part of an upload, and parsing and validating numbers is the
 * next; done one after the other they add up, done at the same time (this process parses chunk
 * k+1 while Postgres merges chunk k) the upload takes about as long as the slower of the two.
 *
 * So the COPY target is this Writable, not a COPY stream: it streams `chunkRows` rows into a
 * COPY, ends it, merges the chunk, and meanwhile accepts the next chunk's text (at most one chunk
 * waits; beyond that, back-pressure). Everything runs in the caller's transaction: a failure
 * anywhere still rolls back the whole upload.
 *
 * Direct mode (the campaign had no recipients when the upload began, the usual first upload):
 * each chunk is COPYed straight into the ledger under a savepoint — no staging table, and COPY
 * inserts in batches (1M rows: ~10 s, against ~1.2 s COPY + ~16 s INSERT … SELECT via staging).
 * A number already in the ledger can then only come from an earlier line of this file (the
 * upload holds the campaign row locked, and the other writers of ledger rows — inline recipients,
 * one-off messages, resends — insert only into campaigns they create in the same transaction), so a
 * chunk the unique index refuses is rolled back to its savepoint, staged alone, and merged by the
 * statement that names its refused rows (all `duplicate_in_file`). Otherwise (staging mode):
 *
 * The merge of a chunk is first tried as a plain INSERT … ORDER BY line ON CONFLICT DO NOTHING
 * under a savepoint. If it inserted every row of the chunk, nothing was refused and that is all
 * (the usual case). Otherwise the savepoint is rolled back and the chunk is merged by the
 * statement that also names the refused rows. Either way the rows inserted are the same: the
 * first line of each number not already in the ledger — which before chunk k holds the
 * campaign's earlier recipients and the first occurrences from chunks 1..k-1. A refused row is
 * `duplicate_in_file` when its number is on an earlier line (in this chunk or an earlier one),
 * else `duplicate_in_campaign`: the same classification as merging the whole file at once.
 *
 * Ledger ids follow the file's line order (chunks are merged in order, each ORDER BY line), so the
 * fan-out, which walks ids, sends in the order the file lists recipients.
 */
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { rejection, type Rejection } from './rejections.js';

/** The staging table of one upload: a temporary table, gone at the end of the transaction. */
export const STAGING_TABLE = 'ingest_recipients';

export const CREATE_STAGING_SQL = `CREATE TEMPORARY TABLE ${STAGING_TABLE} (line bigint NOT NULL, number text NOT NULL, variables jsonb) ON COMMIT DROP`;
export const COPY_STAGING_SQL = `COPY ${STAGING_TABLE} (line, number, variables) FROM STDIN`;

/**
 * Rows per chunk. Small enough that the last chunk's merge (which nothing overlaps) is short and a
 * waiting chunk is a few MB; large enough that the per-chunk statements and the scan of the
 * staging table for each chunk's rows stay a small part of the work.
 */
export const MERGE_CHUNK_ROWS = 50_000;

/** $1 campaign, $2 the last line of the previous chunk. */
const FAST_MERGE_SQL = `
INSERT INTO campaign_recipients (campaign_id, number, variables)
SELECT $1::uuid, number, variables FROM ${STAGING_TABLE} WHERE line > $2 ORDER BY line
ON CONFLICT (campaign_id, number) DO NOTHING`;

/** $1 campaign, $2 the last line of the previous chunk, $3 how many refused rows to list. */
const CLASSIFYING_MERGE_SQL = `
WITH chunk AS MATERIALIZED (
  SELECT line, number, variables FROM ${STAGING_TABLE} WHERE line > $2
), earlier AS MATERIALIZED (
  SELECT DISTINCT e.number FROM ${STAGING_TABLE} e WHERE e.line <= $2 AND e.number IN (SELECT number FROM chunk)
), ranked AS MATERIALIZED (
  SELECT c.line, c.number, c.variables,
         row_number() OVER (PARTITION BY c.number ORDER BY c.line) > 1 OR e.number IS NOT NULL AS in_file
  FROM chunk c LEFT JOIN earlier e ON e.number = c.number
), inserted AS (
  INSERT INTO campaign_recipients (campaign_id, number, variables)
  SELECT $1::uuid, number, variables FROM ranked WHERE NOT in_file ORDER BY line
  ON CONFLICT (campaign_id, number) DO NOTHING
  RETURNING number
), refused AS (
  SELECT r.line, r.number, r.in_file
  FROM ranked r
  WHERE r.in_file OR NOT EXISTS (SELECT 1 FROM inserted i WHERE i.number = r.number)
)
SELECT line, number, in_file, count(*) OVER () AS total
FROM refused ORDER BY line LIMIT $3`;

/**
 * The refusing merge of a chunk in direct mode (the campaign had no recipients before the upload,
 * so a number already in the ledger came from an earlier line of this file): the staging table
 * holds just this chunk. $1 campaign, $2 how many refused rows to list.
 */
const DIRECT_FALLBACK_MERGE_SQL = `
WITH ranked AS MATERIALIZED (
  SELECT line, number, variables, row_number() OVER (PARTITION BY number ORDER BY line) AS rank
  FROM ${STAGING_TABLE}
), inserted AS (
  INSERT INTO campaign_recipients (campaign_id, number, variables)
  SELECT $1::uuid, number, variables FROM ranked WHERE rank = 1 ORDER BY line
  ON CONFLICT (campaign_id, number) DO NOTHING
  RETURNING number
), refused AS (
  SELECT r.line, r.number
  FROM ranked r
  WHERE r.rank > 1 OR NOT EXISTS (SELECT 1 FROM inserted i WHERE i.number = r.number)
)
SELECT line, number, true AS in_file, count(*) OVER () AS total
FROM refused ORDER BY line LIMIT $2`;

const COPY_LEDGER_SQL = 'COPY campaign_recipients (campaign_id, number, variables) FROM STDIN';

/** Whether the campaign has ledger rows (asked under the upload's lock on the campaign). */
export async function campaignHasRecipients(client: pg.ClientBase, campaignId: string): Promise<boolean> {
  const { rows } = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1) AS any', [campaignId]);
  return rows[0]!.any;
}

const UNIQUE_VIOLATION = '23505';

export interface MergeResult {
  /** Staged rows that went into the ledger. */
  inserted: number;
  /** Staged rows refused as duplicates (all of them). */
  duplicates: number;
  /** The first `limit` duplicates in line order. */
  listed: Rejection[];
}

export interface StagedMergeOptions {
  client: pg.ClientBase;
  campaignId: string;
  /** How many refused rows to list (all are counted). */
  listLimit: number;
  chunkRows?: number;
  /**
   * The campaign had no recipients when the upload began (see campaignHasRecipients). Then chunks
   * are COPYed straight into the ledger under a savepoint, skipping the staging table; a chunk
   * that hits the unique index (a number repeated in the file) is rolled back and merged through
   * the staging table instead.
   */
  direct?: boolean;
}

const LF = 0x0a;

/** A chunk's COPY must have taken every row written to it; anything else is a bug, not bad input. */
function expectCopied(copied: number | null | undefined, rows: number): void {
  if (copied !== rows) throw new Error(`staged merge: COPY took ${copied} rows of ${rows}`);
}

/** The line number that starts the last COPY line of `buffers` (which end with LF). */
function lastLine(buffers: readonly Buffer[]): number {
  const last = buffers[buffers.length - 1]!;
  const start = last.lastIndexOf(LF, last.length - 2) + 1;
  const before = buffers[buffers.length - 2];
  if (start === 0 && before !== undefined && before[before.length - 1] !== LF) {
    // The last line began in an earlier buffer (never so for CsvRowStage's output): join them.
    return lastLine([Buffer.concat(buffers)]);
  }
  let line = 0;
  for (let i = start; i < last.length; i++) {
    const b = last[i]!;
    if (b < 0x30 || b > 0x39) break;
    line = line * 10 + (b - 0x30);
  }
  return line;
}

/** Staging COPY text (`line \t number \t variables`) as ledger COPY text (`campaign \t number \t variables`). */
function ledgerText(buffer: Buffer, campaign: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < buffer.length) {
    const tab = buffer.indexOf(0x09, pos);
    if (tab === -1) throw new Error('staged merge: a COPY line without a tab');
    let end = buffer.indexOf(LF, tab);
    end = end === -1 ? buffer.length : end + 1;
    parts.push(campaign, buffer.subarray(tab, end));
    pos = end;
  }
  return Buffer.concat(parts);
}

function countLines(buffer: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(LF); i !== -1; i = buffer.indexOf(LF, i + 1)) n += 1;
  return n;
}

type CopyStream = Writable & { rowCount?: number };

/** The COPY target of an upload: stages and merges chunk by chunk (see the top of this file). */
export class StagedMerge extends Writable {
  /** Rows COPYed into the staging table (= inserted + duplicates once finished). */
  staged = 0;
  inserted = 0;
  duplicates = 0;
  readonly listed: Rejection[] = [];
  /** Time waiting for a chunk's COPY to end, and in merge statements (for the log). */
  copyWaitMs = 0;
  mergeMs = 0;

  private readonly client: pg.ClientBase;
  private readonly campaignId: string;
  private readonly listLimit: number;
  private readonly chunkRows: number;
  /** The COPY of the current chunk, open while its rows stream in. */
  private copy: CopyStream | undefined;
  private copyDone: Promise<void> | undefined;
  private copyRows = 0;
  /** The last line written to the open COPY (when the text written so far ends at a line end). */
  private copyThrough = 0;
  private copyWhole = true;
  /** The last line merged so far (every staged line after it belongs to the next chunk). */
  private mergedThrough = 0;
  /** The merge of the previous chunk, while Postgres runs it. */
  private merging: Promise<void> | undefined;
  /** COPY text that arrived while a merge was running (at most about one chunk). */
  private pending: Buffer[] = [];
  private pendingRows = 0;
  /** A write held back: one chunk waits; beyond that, back-pressure. */
  private held: ((err?: Error | null) => void) | undefined;
  private failure: Error | undefined;
  private readonly direct: boolean;
  /** Direct mode: the current chunk's rows as staging COPY text, should the chunk be refused. */
  private chunkText: Buffer[] = [];
  /** Direct mode: the chunk's COPY into the ledger met a repeated number. */
  private chunkRefused = false;
  /** Direct mode: the campaign id and a tab, which replace each COPY line's line number. */
  private readonly ledgerPrefix: Buffer;

  constructor(options: StagedMergeOptions) {
    super({ decodeStrings: true });
    this.client = options.client;
    this.campaignId = options.campaignId;
    this.listLimit = options.listLimit;
    this.chunkRows = options.chunkRows ?? MERGE_CHUNK_ROWS;
    this.direct = options.direct ?? false;
    this.ledgerPrefix = Buffer.from(options.campaignId, 'latin1');
  }

  /**
   * Resolves once no statement of this merge is running. Before rolling back, destroy the stream
   * first (an open COPY only ends when ended or destroyed), then wait for this.
   */
  async settled(): Promise<void> {
    for (;;) {
      const running = [this.merging, this.copyDone].filter((p) => p !== undefined);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.failure) return callback(this.failure);
    if (chunk.length === 0) return callback();
    if (this.merging) {
      this.pending.push(chunk);
      this.pendingRows += countLines(chunk);
      if (this.pendingRows >= this.chunkRows) this.held = callback;
      else callback();
      return;
    }
    this.toCopy([chunk], countLines(chunk), callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    void (async () => {
      for (;;) {
        if (this.failure) throw this.failure;
        if (this.merging) {
          await this.merging;
          continue;
        }
        if (this.pendingRows > 0) {
          const buffers = this.pending;
          const rows = this.pendingRows;
          this.pending = [];
          this.pendingRows = 0;
          await new Promise<void>((resolve, reject) => this.toCopy(buffers, rows, (err) => (err ? reject(err) : resolve())));
          continue;
        }
        if (this.copy) {
          if (!this.copyWhole) throw new Error('staged merge: the COPY text does not end with a line end');
          this.endChunk();
          continue;
        }
        return;
      }
    })().then(() => callback(), (err: Error) => callback(err));
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.failure ??= err ?? new Error('staged merge destroyed');
    // An open COPY is abandoned (CopyFail); a statement in flight is let end, so the caller can
    // roll back on the same connection.
    this.copy?.destroy(this.failure);
    this.copy = undefined;
    void this.settled().then(() => callback(err));
  }

  /** Writes into the chunk's COPY (opening it); ends the chunk once it has `chunkRows` rows. */
  private toCopy(buffers: Buffer[], rows: number, callback: (err?: Error | null) => void): void {
    if (!this.copy) this.openCopy();
    const copy = this.copy!;
    let ok = true;
    if (this.direct) {
      for (const b of buffers) {
        this.chunkText.push(b);
        // A refused COPY (its stream destroyed) takes no more text; the chunk goes the other way.
        if (!this.chunkRefused && !copy.destroyed) ok = copy.write(ledgerText(b, this.ledgerPrefix));
      }
    } else {
      for (const b of buffers) if (!copy.destroyed) ok = copy.write(b);
    }
    // A destroyed COPY never drains: its error (failure or refusal) is handled where it ends.
    if (copy.destroyed || this.chunkRefused) ok = true;
    this.copyRows += rows;
    const last = buffers[buffers.length - 1]!;
    this.copyWhole = last[last.length - 1] === LF;
    if (this.copyWhole && rows > 0) this.copyThrough = lastLine(buffers);
    if (this.copyRows >= this.chunkRows && this.copyWhole) {
      this.endChunk();
      return callback();
    }
    if (ok) return callback();
    const onDrain = () => {
      copy.off('error', onError);
      callback(this.failure);
    };
    const onError = (err: Error) => {
      copy.off('drain', onDrain);
      callback(this.isRefusal(err) ? null : err);
    };
    copy.once('drain', onDrain);
    copy.once('error', onError);
  }

  private openCopy(): void {
    if (this.direct) {
      this.chunkText = [];
      this.chunkRefused = false;
      this.client.query('SAVEPOINT ingest_chunk').catch((err: Error) => this.fail(err));
    }
    const copy = this.client.query(copyStreams.from(this.direct ? COPY_LEDGER_SQL : COPY_STAGING_SQL));
    this.copy = copy;
    this.copyDone = finished(copy).then(
      () => {
        if (this.copyDone === done) this.copyDone = undefined;
      },
      (err: Error) => {
        if (this.copyDone === done) this.copyDone = undefined;
        if (this.isRefusal(err)) this.chunkRefused = true;
        else this.fail(err);
      },
    );
    const done = this.copyDone;
  }

  private endChunk(): void {
    const copy = this.copy!;
    const copyDone = this.copyDone!;
    const rows = this.copyRows;
    const after = this.mergedThrough;
    const through = this.copyThrough;
    this.copy = undefined;
    this.copyRows = 0;
    this.mergedThrough = through;
    const chunkText = this.chunkText;
    this.chunkText = [];
    const ended = performance.now();
    if (!copy.destroyed) copy.end();
    const merging = (async () => {
      await copyDone;
      if (this.failure) throw this.failure;
      if (this.direct && !this.chunkRefused) {
        expectCopied(copy.rowCount, rows);
        await this.client.query('RELEASE SAVEPOINT ingest_chunk');
        this.copyWaitMs += performance.now() - ended;
        this.staged += rows;
        this.inserted += rows;
        return;
      }
      if (!this.direct) expectCopied(copy.rowCount, rows);
      const started = performance.now();
      this.copyWaitMs += started - ended;
      try {
        if (this.direct) await this.mergeRefusedChunk(chunkText, rows);
        else await this.mergeStaged(rows, after);
        this.staged += rows;
      } finally {
        this.mergeMs += performance.now() - started;
      }
    })();
    this.merging = merging;
    merging.then(
      () => {
        this.merging = undefined;
        const held = this.held;
        this.held = undefined;
        if (this.failure) return held?.(this.failure);
        if (this.pendingRows > 0) {
          // What arrived meanwhile goes into the next chunk's COPY (which may end it at once).
          const buffers = this.pending;
          const pendingRows = this.pendingRows;
          this.pending = [];
          this.pendingRows = 0;
          this.toCopy(buffers, pendingRows, held ?? ((err) => err && this.fail(err)));
        } else held?.();
      },
      (err: Error) => {
        this.merging = undefined;
        this.fail(err);
      },
    );
  }

  /** Direct mode: the ledger's unique index refused a row of the chunk (not a failure). */
  private isRefusal(err: Error): boolean {
    return this.direct && (err as { code?: unknown }).code === UNIQUE_VIOLATION && !this.failure;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const held = this.held;
    this.held = undefined;
    if (held) held(this.failure);
    else this.destroy(this.failure);
  }

  /**
   * Direct mode, a chunk the ledger refused a row of: undo its COPY, stage it alone, and merge it
   * by the statement that names the refused rows.
   */
  private async mergeRefusedChunk(text: Buffer[], rows: number): Promise<void> {
    await this.client.query('ROLLBACK TO SAVEPOINT ingest_chunk');
    await this.client.query('RELEASE SAVEPOINT ingest_chunk');
    await this.client.query(`TRUNCATE ${STAGING_TABLE}`);
    const copy = this.client.query(copyStreams.from(COPY_STAGING_SQL));
    for (const b of text) copy.write(b);
    copy.end();
    await finished(copy);
    expectCopied(copy.rowCount, rows);
    await this.classify(DIRECT_FALLBACK_MERGE_SQL, [this.campaignId], rows);
  }

  /** Merges the staged rows after line `after` (`rows` of them) into the ledger. */
  private async mergeStaged(rows: number, after: number): Promise<void> {
    if (this.failure) throw this.failure;
    await this.client.query('SAVEPOINT ingest_chunk');
    const fast = await this.client.query(FAST_MERGE_SQL, [this.campaignId, after]);
    if (fast.rowCount === rows) {
      await this.client.query('RELEASE SAVEPOINT ingest_chunk');
      this.inserted += rows;
      return;
    }
    await this.client.query('ROLLBACK TO SAVEPOINT ingest_chunk');
    await this.client.query('RELEASE SAVEPOINT ingest_chunk');
    await this.classify(CLASSIFYING_MERGE_SQL, [this.campaignId, after], rows);
  }

  /** Runs a merge statement that names the refused rows (the last parameter: how many to list). */
  private async classify(sql: string, params: unknown[], rows: number): Promise<void> {
    const room = this.listLimit - this.listed.length;
    // node-postgres returns bigint (line, total) as strings.
    const { rows: refused } = await this.client.query<{ line: string; number: string; in_file: boolean; total: string }>(sql, [...params, Math.max(room, 1)]);
    const duplicates = refused.length === 0 ? 0 : Number(refused[0]!.total);
    this.duplicates += duplicates;
    this.inserted += rows - duplicates;
    for (const r of refused.slice(0, Math.max(room, 0))) {
      this.listed.push(rejection(Number(r.line), r.in_file ? 'duplicate_in_file' : 'duplicate_in_campaign', r.number));
    }
  }

  result(): MergeResult {
    return { inserted: this.inserted, duplicates: this.duplicates, listed: this.listed };
  }
}

/**
 * Settings for the merge statements, for the rest of the transaction: the classifying merge sorts
 * and hashes a chunk (a few MB of work_mem would spill it to disk), and JIT compiling a statement
 * that runs once per chunk costs more than it saves.
 */
export async function prepareMerge(client: pg.ClientBase): Promise<void> {
  await client.query(`SET LOCAL work_mem = '64MB'`);
  await client.query('SET LOCAL jit = off');
}
