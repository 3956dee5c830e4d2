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
import { CopyTextBuffer, countLines, lastLine, ledgerText, sliceEnd } from './copy-text.js';
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

/**
 * A chunk also ends at this many bytes of COPY text, and no more than this waits for a merge:
 * rows carry variables of up to 64 KB, so a row count alone would not bound the memory.
 */
export const MERGE_CHUNK_BYTES = 8 * 1024 * 1024;

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
  /** Bytes of COPY text per chunk at most (a line is never split); default MERGE_CHUNK_BYTES. */
  chunkBytes?: number;
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

/**
 * Bytes of COPY text written to the socket at a time when a waiting chunk is sent on: written all
 * at once, a whole chunk's Buffers would sit in the socket's queue while Postgres reads them and
 * be promoted to V8's old space (see copy-text.ts).
 */
const SLICE_BYTES = 64 * 1024;

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
  /** Time the upstream was held back because a whole chunk already waited (for the log). */
  heldMs = 0;
  private heldSince = 0;

  private readonly client: pg.ClientBase;
  private readonly campaignId: string;
  private readonly listLimit: number;
  private readonly chunkRows: number;
  private readonly chunkBytes: number;
  /** The COPY of the current chunk, open while its rows stream in. */
  private copy: CopyStream | undefined;
  private copyDone: Promise<void> | undefined;
  private copyRows = 0;
  /** The last line written to the open COPY (when the text written so far ends at a line end). */
  private copyThrough = 0;
  private copyWhole = true;
  /** The last line merged so far (every staged line after it belongs to the next chunk). */
  private mergedThrough = 0;
  /**
   * While set, text that arrives waits in `pending`: the previous chunk's merge is running, or a
   * waiting chunk is being written to a new COPY.
   */
  private busy: Promise<void> | undefined;
  /** The current chunk's text: written to its COPY, kept should the chunk be refused (direct mode). */
  private chunkText = new CopyTextBuffer();
  /** Text that arrived while busy (at most about one chunk; beyond that, back-pressure). */
  private pending = new CopyTextBuffer();
  /** A write held back because `pending` is full. */
  private held: ((err?: Error | null) => void) | undefined;
  private failure: Error | undefined;
  private readonly direct: boolean;
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
    this.chunkBytes = options.chunkBytes ?? MERGE_CHUNK_BYTES;
    this.direct = options.direct ?? false;
    this.ledgerPrefix = Buffer.from(options.campaignId, 'latin1');
  }

  /**
   * Resolves once no statement of this merge is running. Before rolling back, destroy the stream
   * first (an open COPY only ends when ended or destroyed), then wait for this.
   */
  async settled(): Promise<void> {
    for (;;) {
      const running = [this.busy, this.copyDone].filter((p) => p !== undefined);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.failure) return callback(this.failure);
    if (chunk.length === 0) return callback();
    const rows = countLines(chunk);
    if (this.busy) {
      this.pending.append(chunk, rows);
      if (this.pendingFull()) {
        this.held = callback;
        this.heldSince = performance.now();
      } else callback();
      return;
    }
    if (!this.copy) this.openCopy();
    const copy = this.copy!;
    this.chunkText.append(chunk, rows);
    const ok = this.writeToCopy(copy, chunk, rows);
    if (this.chunkFull()) {
      this.endChunk();
      return callback();
    }
    if (ok) return callback();
    this.waitForDrain(copy).then(() => callback(this.failure), (err: Error) => callback(err));
  }

  override _final(callback: (err?: Error | null) => void): void {
    void (async () => {
      for (;;) {
        if (this.failure) throw this.failure;
        if (this.busy) {
          await this.busy;
          continue;
        }
        if (this.pending.rows > 0) {
          this.sendPending();
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

  private pendingFull(): boolean {
    return this.pending.rows >= this.chunkRows || this.pending.length >= this.chunkBytes;
  }

  private chunkFull(): boolean {
    return this.copyWhole && (this.copyRows >= this.chunkRows || this.chunkText.length >= this.chunkBytes);
  }

  /** Writes staging text to the chunk's COPY (as ledger text in direct mode); false: wait for drain. */
  private writeToCopy(copy: CopyStream, text: Buffer, rows: number): boolean {
    let ok = true;
    // A refused COPY (its stream destroyed) takes no more text; the chunk goes the other way.
    if (!copy.destroyed && !this.chunkRefused) ok = copy.write(this.direct ? ledgerText(text, this.ledgerPrefix) : text);
    // A destroyed COPY never drains: its error (failure or refusal) is handled where it ends.
    if (copy.destroyed || this.chunkRefused) ok = true;
    this.copyRows += rows;
    this.copyWhole = text[text.length - 1] === LF;
    if (this.copyWhole && rows > 0) this.copyThrough = lastLine(text);
    return ok;
  }

  /** Resolves when `copy` drains, or when it fails with a refusal; rejects on any other error. */
  private waitForDrain(copy: CopyStream): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        copy.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        copy.off('drain', onDrain);
        if (this.isRefusal(err)) resolve();
        else reject(err);
      };
      copy.once('drain', onDrain);
      copy.once('error', onError);
    });
  }

  /**
   * Starts a chunk with the text that waited in `pending`, written to its COPY a slice at a time
   * with back-pressure; text that arrives meanwhile waits in `pending` again.
   */
  private sendPending(): void {
    if (!this.copy) this.openCopy();
    const copy = this.copy!;
    const from = this.chunkText.length;
    this.chunkText.append(this.pending.view(), this.pending.rows);
    this.pending.clear();
    const sending = (async () => {
      const text = this.chunkText.view(from);
      for (let pos = 0; pos < text.length; ) {
        if (this.failure) throw this.failure;
        const end = sliceEnd(text, pos, SLICE_BYTES);
        const slice = text.subarray(pos, end);
        pos = end;
        if (!this.writeToCopy(copy, slice, countLines(slice))) await this.waitForDrain(copy);
      }
    })();
    this.busy = sending;
    sending.then(
      () => {
        this.busy = undefined;
        if (this.failure) return this.releaseHeld();
        if (this.chunkFull()) this.endChunk();
        else if (this.pending.rows > 0) this.sendPending();
        if (!this.pendingFull()) this.releaseHeld();
      },
      (err: Error) => {
        this.busy = undefined;
        this.fail(err);
      },
    );
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = undefined;
    if (held) this.heldMs += performance.now() - this.heldSince;
    held?.(this.failure);
  }

  private openCopy(): void {
    this.chunkText.clear();
    if (this.direct) {
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

  /** Ends the chunk's COPY and merges it; meanwhile text waits in `pending`. */
  private endChunk(): void {
    const copy = this.copy!;
    const copyDone = this.copyDone!;
    const rows = this.copyRows;
    const after = this.mergedThrough;
    const through = this.copyThrough;
    this.copy = undefined;
    this.copyRows = 0;
    this.mergedThrough = through;
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
        // chunkText is not written to while busy: it still holds this chunk.
        if (this.direct) await this.mergeRefusedChunk(this.chunkText.view(), rows);
        else await this.mergeStaged(rows, after);
        this.staged += rows;
      } finally {
        this.mergeMs += performance.now() - started;
      }
    })();
    this.busy = merging;
    merging.then(
      () => {
        this.busy = undefined;
        this.chunkText.clear();
        if (this.failure) return this.releaseHeld();
        // What arrived meanwhile starts the next chunk (which may end it at once).
        if (this.pending.rows > 0) this.sendPending();
        if (!this.pendingFull()) this.releaseHeld();
      },
      (err: Error) => {
        this.busy = undefined;
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
  private async mergeRefusedChunk(text: Buffer, rows: number): Promise<void> {
    await this.client.query('ROLLBACK TO SAVEPOINT ingest_chunk');
    await this.client.query('RELEASE SAVEPOINT ingest_chunk');
    await this.client.query(`TRUNCATE ${STAGING_TABLE}`);
    const copy = this.client.query(copyStreams.from(COPY_STAGING_SQL));
    copy.end(text);
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
