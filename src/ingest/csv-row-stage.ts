/**
 * The stage between the framer and COPY: reads the framer's chunks of whole records into
 * `[line, ...fields]` (csv-records.ts), reads the first as the header, runs the rest through a
 * RowProcessor in batches and passes on COPY text. Rejections are counted, and the first few kept,
 * as they go by.
 *
 * Back-pressure: this is an ordinary Transform — when COPY's socket is full, pushes return false,
 * the framer stops being read, and so does the request socket.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { Options } from 'csv-parse/sync';
import { AppError } from '../errors/index.js';
import type { Delimiter } from './csv-dialect.js';
import { csvParseOptions, forEachRecord } from './csv-records.js';
import { MARKER_TOO_LONG, MARKER_UNCLOSED_QUOTE } from './record-framer.js';
import { RejectionLog } from './rejections.js';
import type { CsvRow, RowProcessor } from './row-processor.js';

/**
 * Rows per processor call. Small on purpose: a batch must become garbage while it is still young.
 * With 2,000 rows a batch outlived two scavenges, was promoted, and the old space grew until the
 * API held ~360 MB during a 1M-row upload; with 250 it stays near 240 MB (scripts/measure-ingest.ts).
 */
export const ROW_BATCH_SIZE = 250;

const MARKER = /^(\d+)([A-Z])$/;

/** A framer record back to a row: the tagged line number split off, markers recognised. */
export function toCsvRow(record: string[]): CsvRow {
  const tag = record[0] ?? '';
  if (record.length === 1) {
    const marker = MARKER.exec(tag);
    if (marker) {
      const problem = marker[2] === MARKER_TOO_LONG ? 'row_too_long' : marker[2] === MARKER_UNCLOSED_QUOTE ? 'unclosed_quote' : undefined;
      if (problem) return { line: Number(marker[1]), fields: [], problem };
    }
  }
  const line = Number(tag);
  if (!Number.isInteger(line) || line < 1) {
    // The framer and csv-parse disagreed on where a record ends: a bug of ours, not the client's.
    throw new Error(`csv stage: record without a line tag (${JSON.stringify(tag.slice(0, 20))})`);
  }
  record.shift();
  return { line, fields: record };
}

export class CsvRowStage<Plan> extends Transform {
  plan: Plan | undefined;
  accepted = 0;
  readonly rejections: RejectionLog;
  private batch: CsvRow[] = [];

  private readonly parseOptions: Options;

  constructor(
    private readonly processor: RowProcessor<Plan>,
    private readonly delimiter: Delimiter,
    rejections = new RejectionLog(),
  ) {
    super({ readableHighWaterMark: 256 * 1024 });
    this.rejections = rejections;
    this.parseOptions = csvParseOptions(delimiter);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      forEachRecord(chunk, this.delimiter, this.parseOptions, this.onRecord);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  private readonly onRecord = (record: string[]): void => {
    const row = toCsvRow(record);
    if (this.plan === undefined) {
      if (row.problem) {
        throw new AppError('CSV_HEADER_INVALID', `the header row (line ${row.line}) is too long or never closes a quote`, { field: 'header' });
      }
      this.plan = this.processor.readHeader(row.fields);
      return;
    }
    this.batch.push(row);
    if (this.batch.length >= ROW_BATCH_SIZE) this.processBatch();
  };

  override _flush(callback: TransformCallback): void {
    try {
      if (this.plan === undefined) {
        throw new AppError('CSV_HEADER_INVALID', 'the body is empty: the first line must be a header row', { field: 'header' });
      }
      this.processBatch();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  private processBatch(): void {
    if (this.batch.length === 0) return;
    const result = this.processor.processBatch(this.plan!, this.batch);
    this.batch = [];
    this.accepted += result.accepted;
    for (const r of result.rejections) this.rejections.add(r);
    if (result.copy !== '') this.push(result.copy);
  }
}
