/**
 * Turns a campaign's inline `number_list` into ledger rows: every number normalised to E.164,
 * duplicates dropped (the first occurrence wins, with its variables). Pure; the caller persists.
 */
import { AppError } from '../errors/index.js';
import { describeNumberProblem, normalisePhoneNumber } from './phone-number.js';

export interface InlineRecipientInput {
  number: string;
  variables?: Record<string, string>;
}

export interface RecipientRow {
  /** E.164. */
  number: string;
  variables: Record<string, unknown> | null;
}

export interface NormalisedRecipients {
  rows: RecipientRow[];
  duplicatesRemoved: number;
}

/**
 * Normalises and de-duplicates inline recipients.
 * @throws AppError TOO_MANY_RECIPIENTS above `maxInline` entries, NO_RECIPIENTS for an empty list,
 *   INVALID_PHONE_NUMBER (field `number_list[i].number`) for the first number that is not valid.
 */
export function normaliseInlineRecipients(list: readonly InlineRecipientInput[] | undefined, maxInline: number): NormalisedRecipients {
  if (!list || list.length === 0) {
    throw new AppError('NO_RECIPIENTS', 'number_list must name at least one recipient', { field: 'number_list' });
  }
  // Checked on the raw list, before any parsing: the cap bounds the work a single request can cause.
  if (list.length > maxInline) {
    throw new AppError('TOO_MANY_RECIPIENTS', `number_list may hold at most ${maxInline} entries, got ${list.length}; use a phonebook for larger audiences`, {
      field: 'number_list',
      details: { max: maxInline, received: list.length },
    });
  }
  const seen = new Set<string>();
  const rows: RecipientRow[] = [];
  let duplicatesRemoved = 0;
  list.forEach((entry, i) => {
    const result = normalisePhoneNumber(entry.number);
    if (!result.ok) {
      throw new AppError('INVALID_PHONE_NUMBER', `number_list[${i}].number ${describeNumberProblem(result.reason)}`, {
        field: `number_list[${i}].number`,
      });
    }
    if (seen.has(result.e164)) {
      duplicatesRemoved += 1;
      return;
    }
    seen.add(result.e164);
    rows.push({ number: result.e164, variables: entry.variables && Object.keys(entry.variables).length > 0 ? entry.variables : null });
  });
  return { rows, duplicatesRemoved };
}
