/**
 * Cuts an uploaded CSV into records before csv-parse reads their fields, and tags each record with
 * the line it starts on.
 *
 * Why a stage of our own in front of csv-parse:
 * - Line numbers. csv-parse's `info.lines` drifts after a CR or a quoted line break (measured with
 *   csv-parse 7), and a rejection that names the wrong line is worse than none. Here every LF byte
 *   is counted, inside quotes or not, so `line` is what an editor shows.
 * - The per-row limit. csv-parse's `max_record_size` together with `skip_records_with_error` drops
 *   the rest of the input after the first long record. Here a record longer than `maxRecordBytes`
 *   is discarded as it streams (memory stays bounded by the limit) and replaced by a marker row, so
 *   it becomes one rejected row and parsing goes on. An unclosed quote that swallows the rest of
 *   the file ends up the same way: one rejected row, not a process holding a gigabyte "field".
 * - Line endings. Records leave with a bare LF whatever they came with (CRLF, LF, or a mix), so
 *   csv-parse can be told `record_delimiter: '\n'` instead of guessing from the first line.
 * - A UTF-8 byte order mark at the very start is dropped.
 *
 * Output, one line per record: `<line><delimiter><the record as sent>\n`, or a marker
 * `<line>L\n` (too long) / `<line>Q\n` (the file ends inside quotes). Blank lines are dropped.
 *
 * Quote rules mirror csv-parse with `relax_quotes`: a double quote opens a quoted field only as
 * the field's first character; inside one, `""` is a literal quote and a lone `"` closes it.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { Delimiter } from './csv-dialect.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The kinds of marker row the framer emits in place of a record. */
export const MARKER_TOO_LONG = 'L';
export const MARKER_UNCLOSED_QUOTE = 'Q';

export interface RecordFramerOptions {
  delimiter: Delimiter;
  /** A record longer than this (bytes, without its line ending) becomes a `row_too_long` marker. */
  maxRecordBytes: number;
}

export class RecordFramer extends Transform {
  private readonly delimiter: number;
  private readonly delimiterText: string;
  private readonly maxRecordBytes: number;
  /** The physical line the next byte is on. */
  private line = 1;
  /** The line the current record started on. */
  private recordLine = 1;
  /** Pieces of the current record from earlier chunks. */
  private carried: Buffer[] = [];
  private carriedBytes = 0;
  private tooLong = false;
  private quoting = false;
  private quotePending = false;
  private fieldStart = true;
  /** Bytes held back until we know whether the input starts with a BOM. */
  private head: Buffer | null = Buffer.alloc(0);

  constructor(options: RecordFramerOptions) {
    super({ readableHighWaterMark: 64 * 1024 });
    this.delimiter = options.delimiter.charCodeAt(0);
    this.delimiterText = options.delimiter;
    this.maxRecordBytes = options.maxRecordBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.head !== null) {
      const joined = Buffer.concat([this.head, chunk]);
      if (joined.length < BOM.length) {
        this.head = joined;
        return callback();
      }
      this.head = null;
      chunk = joined.subarray(0, BOM.length).equals(BOM) ? joined.subarray(BOM.length) : joined;
    }
    const out: Buffer[] = [];
    this.scan(chunk, out);
    if (out.length > 0) this.push(Buffer.concat(out));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const out: Buffer[] = [];
    if (this.head !== null && this.head.length > 0) {
      this.scan(this.head, out);
      this.head = null;
    }
    // A quote still pending at the end closed its field; only a field still open is unclosed.
    if (this.quoting && !this.quotePending && (this.carriedBytes > 0 || this.tooLong)) {
      out.push(this.marker(MARKER_UNCLOSED_QUOTE));
    } else if (this.carriedBytes > 0 || this.tooLong) {
      this.endRecord(Buffer.alloc(0), out);
    }
    if (out.length > 0) this.push(Buffer.concat(out));
    callback();
  }

  /** Walks one chunk byte by byte; complete records go to `out`, the unfinished one is carried. */
  private scan(chunk: Buffer, out: Buffer[]): void {
    let start = 0;
    const d = this.delimiter;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.quoting) {
        if (this.quotePending) {
          this.quotePending = false;
          if (b === QUOTE) continue; // "" — a literal quote, still inside the field
          this.quoting = false; // the quote closed the field; this byte is read as unquoted below
        } else {
          if (b === QUOTE) this.quotePending = true;
          else if (b === LF) this.line += 1;
          continue;
        }
      }
      if (b === LF) {
        this.endRecord(chunk.subarray(start, i), out);
        this.line += 1;
        this.recordLine = this.line;
        start = i + 1;
        this.fieldStart = true;
      } else if (b === d) {
        this.fieldStart = true;
      } else if (b === QUOTE && this.fieldStart) {
        this.quoting = true;
        this.fieldStart = false;
      } else {
        this.fieldStart = false;
      }
    }
    // The unfinished record: keep it, unless it is already over the limit (then only its state).
    if (start < chunk.length && !this.tooLong) {
      const rest = chunk.subarray(start);
      this.carriedBytes += rest.length;
      if (this.carriedBytes > this.maxRecordBytes) this.dropCarried();
      // Copied: a subarray would pin the whole (up to 64 KB) chunk for every carried record.
      else this.carried.push(Buffer.from(rest));
    }
  }

  private dropCarried(): void {
    this.tooLong = true;
    this.carried = [];
    this.carriedBytes = 0;
  }

  /** Emits the record that ends before `tail`'s end (its LF excluded), then resets record state. */
  private endRecord(tail: Buffer, out: Buffer[]): void {
    const length = this.carriedBytes + tail.length;
    if (this.tooLong || length > this.maxRecordBytes) {
      out.push(this.marker(MARKER_TOO_LONG));
    } else {
      const parts = this.carried.length === 0 ? [tail] : [...this.carried, tail];
      let total = length;
      // Drop the CR of a CRLF (the last byte of the record, possibly in a carried piece).
      const last = parts[parts.length - 1]!.length > 0 ? parts[parts.length - 1]! : parts[parts.length - 2];
      if (total > 0 && last !== undefined && last[last.length - 1] === CR) {
        total -= 1;
        if (parts[parts.length - 1] === last) parts[parts.length - 1] = last.subarray(0, last.length - 1);
        else parts[parts.length - 2] = last.subarray(0, last.length - 1);
      }
      if (total > 0) {
        out.push(Buffer.from(`${this.recordLine}${this.delimiterText}`, 'latin1'), ...parts, Buffer.from([LF]));
      }
    }
    this.carried = [];
    this.carriedBytes = 0;
    this.tooLong = false;
  }

  private marker(kind: string): Buffer {
    this.carried = [];
    this.carriedBytes = 0;
    this.tooLong = false;
    return Buffer.from(`${this.recordLine}${kind}\n`, 'latin1');
  }
}
