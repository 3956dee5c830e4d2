/**
 * Streams an uploaded CSV into a Postgres COPY:
 *
 *   request → ByteLimit → RecordFramer → CsvRowStage(processor) → COPY … FROM STDIN
 *
 * Every stage is a stream in one `pipeline`, so back-pressure runs end to end: memory holds a few
 * chunks per stage whatever the file's size, and a slow database slows the reading of the socket.
 *
 * The request is piped into the pipeline rather than made part of it on purpose: `pipeline`
 * destroys every stream when one fails, and destroying an unfinished request destroys its socket —
 * the client would see a reset instead of our 400. On failure the request is instead unpiped and
 * drained, so the error answer can be written. A request that ends early (client gone) fails the
 * pipeline with UPLOAD_INCOMPLETE, and the caller rolls back.
 */
import { finished, pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { AppError, isAppError } from '../errors/index.js';
import { ByteLimit } from './byte-limit.js';
import { CsvRowStage } from './csv-row-stage.js';
import { detectDelimiter, type Delimiter } from './csv-dialect.js';
import { peekFirstLine } from './first-line.js';
import { RecordFramer } from './record-framer.js';
import type { RejectionLog } from './rejections.js';
import type { RowProcessor } from './row-processor.js';

/** Longest row taken (bytes, line ending excluded); a longer one is rejected as `row_too_long`. */
export const MAX_ROW_BYTES = 64 * 1024;

export interface CsvCopyOptions<Plan> {
  source: Readable;
  /** Omitted: detected from the header line (see csv-dialect.ts). */
  delimiter?: Delimiter;
  maxBodyBytes: number;
  processor: RowProcessor<Plan>;
  /** Starts the COPY; called once the header line has arrived. */
  startCopy: () => Writable & { rowCount?: number };
}

export interface CsvCopyResult<Plan> {
  plan: Plan;
  delimiter: Delimiter;
  /** Rows written to COPY. */
  accepted: number;
  rejections: RejectionLog;
  bytes: number;
}

function incomplete(cause: unknown): AppError {
  return new AppError('UPLOAD_INCOMPLETE', 'the client closed the connection before the upload was complete; nothing was stored', { cause });
}

/** Runs the pipeline to the end of the body. @throws AppError (CSV_*, PAYLOAD_TOO_LARGE, UPLOAD_INCOMPLETE) */
export async function copyCsv<Plan>(options: CsvCopyOptions<Plan>): Promise<CsvCopyResult<Plan>> {
  let peeked;
  try {
    peeked = await peekFirstLine(options.source, MAX_ROW_BYTES);
  } catch (err) {
    throw incomplete(err);
  }
  const delimiter = options.delimiter ?? detectDelimiter(peeked.head);
  const source = peeked.stream;
  const limit = new ByteLimit(options.maxBodyBytes);
  const framer = new RecordFramer({ delimiter, maxRecordBytes: MAX_ROW_BYTES });
  const rows = new CsvRowStage(options.processor, delimiter);

  let sourceError: unknown;
  const sourceDone = finished(source).catch((err: unknown) => {
    sourceError = err;
    limit.destroy(incomplete(err));
  });
  source.pipe(limit);
  try {
    await pipeline(limit, framer, rows, options.startCopy());
  } catch (err) {
    source.unpipe(limit);
    source.resume(); // drain what the client still sends, so our answer can reach it
    if (sourceError !== undefined) throw incomplete(sourceError);
    if (isAppError(err)) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new AppError('CSV_MALFORMED', `the CSV cannot be read: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }
  await sourceDone;
  return { plan: rows.plan!, delimiter, accepted: rows.accepted, rejections: rows.rejections, bytes: limit.bytes };
}
