/**
 * The first recipient of a CSV file, read the way the upload route will read it — for
 * `campaigns create`, which needs one recipient to create the draft with: the API refuses a
 * campaign without recipients, so the draft is created with the file's first valid row and the
 * whole file is uploaded after it (that row then counts as the upload's one expected duplicate).
 *
 * Same rules as the server (src/ingest): the delimiter from the header line, a `number` (or
 * `phone`) column, every other named column a variable with its value as written, rows whose
 * number cannot be read skipped. Only the head of the file is read.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { normalisePhoneNumber } from '../campaigns/phone-number.js';
import { detectDelimiter } from '../ingest/csv-dialect.js';
import { NUMBER_COLUMNS } from '../ingest/recipient-rows.js';
import { CliError, EXIT_FAILURE, UsageError } from './exit-codes.js';

/** How many data rows are looked at for a valid number before giving up. */
const MAX_ROWS_SCANNED = 1_000;
const HEAD_BYTES = 64 * 1024;

export interface SeedRecipient {
  number: string;
  variables?: Record<string, string>;
}

async function headerLine(file: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new UsageError(`cannot read --csv ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    const newline = head.indexOf(0x0a);
    return newline < 0 ? head : head.subarray(0, newline);
  } finally {
    await handle.close();
  }
}

/** Picks the seed from parsed records (header first). Pure. */
export function seedFromRecords(records: readonly string[][]): SeedRecipient | undefined {
  const [header, ...rows] = records;
  if (!header) return undefined;
  const names = header.map((n) => n.trim());
  const lower = names.map((n) => n.toLowerCase());
  const numberAt = NUMBER_COLUMNS.map((c) => lower.indexOf(c)).find((i) => i >= 0);
  if (numberAt === undefined) throw new CliError(`the CSV header needs a "number" (or "phone") column`, EXIT_FAILURE);
  for (const row of rows) {
    if (row.length !== names.length) continue;
    const parsed = normalisePhoneNumber(row[numberAt] ?? '');
    if (!parsed.ok) continue;
    const variables: Record<string, string> = {};
    names.forEach((name, i) => {
      if (i !== numberAt && name !== '') variables[name] = row[i] ?? '';
    });
    return Object.keys(variables).length > 0 ? { number: parsed.e164, variables } : { number: parsed.e164 };
  }
  return undefined;
}

/**
 * The first recipient of `file` with a valid number.
 * @throws UsageError when the file cannot be read; CliError when no row in the first
 *   MAX_ROWS_SCANNED has a valid number.
 */
export async function readSeedRecipient(file: string): Promise<SeedRecipient> {
  const delimiter = detectDelimiter(await headerLine(file));
  const parser = createReadStream(file).pipe(
    parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, to_line: MAX_ROWS_SCANNED + 1 }),
  );
  const records: string[][] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) records.push(record);
  } catch (err) {
    throw new CliError(`cannot read ${file} as CSV: ${(err as Error).message}`, EXIT_FAILURE, { cause: err });
  }
  const seed = seedFromRecords(records);
  if (!seed) throw new CliError(`no row among the first ${MAX_ROWS_SCANNED} of ${file} has a valid phone number`, EXIT_FAILURE);
  return seed;
}
