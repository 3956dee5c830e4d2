/**
 * What an upload does with each CSV row is a RowProcessor: it reads the header once into a plan,
 * then turns batches of rows into COPY text (accepted rows) and rejections. Processors are pure —
 * no I/O, no state between batches — so the streaming machinery (csv-row-stage.ts) is shared by
 * campaign recipients and phonebook contacts, and a processor is tested without a database.
 */
import { AppError } from '../errors/index.js';
import { rejection, type Rejection } from './rejections.js';

/** One record of the file, with the line it starts on; `problem` for rows the framer cut out. */
export interface CsvRow {
  line: number;
  fields: string[];
  problem?: 'row_too_long' | 'unclosed_quote';
}

export interface BatchResult {
  /** COPY text format lines, each ending in LF. */
  copy: string;
  accepted: number;
  rejections: Rejection[];
}

export interface RowProcessor<Plan> {
  /** @throws AppError CSV_HEADER_INVALID */
  readHeader(names: string[]): Plan;
  processBatch(plan: Plan, rows: readonly CsvRow[]): BatchResult;
}

/** A row whose fields are all empty or blank: a spreadsheet's trailing `,,,`; skipped like a blank line. */
export function isBlankRow(fields: readonly string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

/**
 * The rejection every processor gives before looking at a row's meaning: rows the framer cut out,
 * rows whose field count differs from the header's, rows with a NUL (Postgres text cannot hold one).
 */
export function structuralProblem(row: CsvRow, width: number): Rejection | undefined {
  if (row.problem) return rejection(row.line, row.problem);
  if (row.fields.length !== width) return rejection(row.line, 'field_count', `${row.fields.length} fields; the header has ${width}`);
  for (const f of row.fields) if (f.includes('\u0000')) return rejection(row.line, 'nul_character');
  return undefined;
}

/**
 * Header names, trimmed, checked for repeats (case-insensitive). Columns with an empty name are
 * allowed and ignored (spreadsheets export a trailing empty column).
 * @throws AppError CSV_HEADER_INVALID naming the repeated column.
 */
export function headerNames(names: readonly string[]): string[] {
  const trimmed = names.map((n) => n.trim());
  const seen = new Set<string>();
  for (const name of trimmed) {
    if (name === '') continue;
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new AppError('CSV_HEADER_INVALID', `the header names column "${name}" twice`, { field: name });
    }
    seen.add(key);
  }
  return trimmed;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value as a field of COPY's text format (backslash, tab and line breaks escaped). */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]!) : value;
}
