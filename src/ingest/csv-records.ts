/**
 * Reads the fields of the framer's records (record-framer.ts): `[line, ...fields]`, as csv-parse
 * gives them.
 *
 * Why not csv-parse's stream alone: it walked every byte a second time (the framer already has)
 * and emitted each record as its own stream write — ~1.3 s of CPU per million rows, the largest
 * cost of an upload after validating the numbers. The framer's chunks hold whole records only, so
 * a chunk can be read on its own: one without a double quote anywhere has no quoted field, and
 * its records are its lines split at the delimiter — exactly what csv-parse gives for them (no
 * trimming, no comments, no casting, `record_delimiter: '\n'`; the framer has already dropped
 * BOM, CRs of CRLFs and blank lines). A chunk with a quote goes through csv-parse (sync), with the
 * options the stream had.
 *
 * Records are handed to `each` one at a time as they are cut, not collected per chunk: a chunk's
 * worth of record arrays (~1,700 for 64 KB) outlived young-generation GCs while the rows were
 * processed and was promoted, which cost ~25 MB of peak RSS on a 1M-row upload.
 */
import { parse, type Options } from 'csv-parse/sync';
import type { Delimiter } from './csv-dialect.js';

/** csv-parse's options for upload records (see csv-copy.ts for the dialect). */
export function csvParseOptions(delimiter: Delimiter): Options {
  return { delimiter, record_delimiter: '\n', quote: '"', escape: '"', relax_quotes: true, relax_column_count: true };
}

const QUOTE = 0x22;

/**
 * Calls `each` with every record of a chunk of whole framer lines (each ending with LF), in order.
 * @throws csv-parse's errors (code CSV_…) for a chunk it cannot read.
 */
export function forEachRecord(chunk: Buffer, delimiter: Delimiter, options: Options, each: (record: string[]) => void): void {
  if (chunk.includes(QUOTE)) {
    for (const record of parse(chunk, options) as string[][]) each(record);
    return;
  }
  const text = chunk.toString('utf8');
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    each(text.slice(start, end).split(delimiter));
    start = end + 1;
  }
}
