/**
 * Rows an upload did not take, and why. Every rejected row is counted; only the first few are kept
 * to list in the answer, so a file of a million bad rows costs no more memory than one of ten.
 *
 * Terminology:
 * - line: the physical line of the file on which the row starts (the header is line 1; blank lines
 *   and line breaks inside quoted fields count, so the number matches what an editor shows).
 * - reason: a stable code (below); `value` is the offending text, cut to 100 characters.
 */

export const REJECTION_REASONS = [
  /** The number column is empty. */
  'missing_number',
  /** The number has no + or 00 and country code. */
  'no_country_code',
  /** The number cannot be a phone number of the country it names. */
  'invalid_number',
  /** The row has more or fewer fields than the header. */
  'field_count',
  /** The row is longer than the per-row limit (often an unclosed quote swallowing later lines). */
  'row_too_long',
  /** The file ends inside a quoted field. */
  'unclosed_quote',
  /** A field holds a NUL character, which Postgres cannot store in text. */
  'nul_character',
  /** Contacts: the row has no number in any of the number columns. */
  'no_number',
  /** An earlier line of the same file has the same number (after normalisation). */
  'duplicate_in_file',
  /** The campaign already had the number before this upload. */
  'duplicate_in_campaign',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  line: number;
  reason: RejectionReason;
  /** The column at fault, where a row has several that could be (contacts). */
  column?: string;
  value?: string;
}

/** At most this many rejections are listed in an answer; the totals always count all of them. */
export const MAX_LISTED_REJECTIONS = 1_000;

const MAX_VALUE_CHARS = 100;

/** A rejection with its value cut to a size fit for an answer. */
export function rejection(line: number, reason: RejectionReason, value?: string, column?: string): Rejection {
  const r: Rejection = { line, reason };
  if (column !== undefined) r.column = column;
  if (value !== undefined) r.value = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
  return r;
}

/** Counts every rejection and keeps the first `limit`, in the order they are added. */
export class RejectionLog {
  readonly listed: Rejection[] = [];
  total = 0;

  constructor(private readonly limit = MAX_LISTED_REJECTIONS) {}

  add(r: Rejection): void {
    this.total += 1;
    if (this.listed.length < this.limit) this.listed.push(r);
  }
}

/** Two line-ordered lists merged into one, cut to `limit`. */
export function mergeByLine(a: readonly Rejection[], b: readonly Rejection[], limit = MAX_LISTED_REJECTIONS): Rejection[] {
  const out: Rejection[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i]!.line <= b[j]!.line)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
