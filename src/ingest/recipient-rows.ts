/**
 * The row processor for campaign recipients: a `number` (or `phone`) column, every other named
 * column a variable. Rows become COPY lines `line \t number \t variables` for the staging table;
 * duplicates are left to Postgres (merge-staged-recipients.ts), which holds the whole file without
 * this process holding a set of a million numbers.
 */
import { normalisePhoneNumber } from '../campaigns/phone-number.js';
import { AppError } from '../errors/index.js';
import { rejection, type Rejection } from './rejections.js';
import { copyField, headerNames, isBlankRow, structuralProblem, type BatchResult, type CsvRow, type RowProcessor } from './row-processor.js';

/** Header names accepted for the number column, in order of preference (case-insensitive). */
export const NUMBER_COLUMNS = ['number', 'phone'] as const;

export interface RecipientPlan {
  width: number;
  numberIndex: number;
  /** [column index, variable name] */
  variables: [number, string][];
}

export const recipientRows: RowProcessor<RecipientPlan> = {
  readHeader(names) {
    const trimmed = headerNames(names);
    const lower = trimmed.map((n) => n.toLowerCase());
    const numberIndex = NUMBER_COLUMNS.map((c) => lower.indexOf(c)).find((i) => i >= 0);
    if (numberIndex === undefined) {
      throw new AppError('CSV_HEADER_INVALID', 'the header row needs a "number" (or "phone") column', { field: 'number' });
    }
    const variables: [number, string][] = [];
    trimmed.forEach((name, i) => {
      if (i !== numberIndex && name !== '') variables.push([i, name]);
    });
    return { width: trimmed.length, numberIndex, variables };
  },

  processBatch(plan, rows) {
    let copy = '';
    let accepted = 0;
    const rejections: Rejection[] = [];
    for (const row of rows) {
      if (!row.problem && isBlankRow(row.fields)) continue;
      const problem = structuralProblem(row, plan.width);
      if (problem) {
        rejections.push(problem);
        continue;
      }
      const raw = row.fields[plan.numberIndex]!;
      const parsed = normalisePhoneNumber(raw);
      if (!parsed.ok) {
        rejections.push(parsed.reason === 'empty' ? rejection(row.line, 'missing_number') : rejection(row.line, parsed.reason === 'invalid' ? 'invalid_number' : parsed.reason, raw));
        continue;
      }
      copy += `${row.line}\t${parsed.e164}\t${copyField(variablesJson(plan, row))}\n`;
      accepted += 1;
    }
    return { copy, accepted, rejections } satisfies BatchResult;
  },
};

function variablesJson(plan: RecipientPlan, row: CsvRow): string | null {
  if (plan.variables.length === 0) return null;
  const vars: Record<string, string> = {};
  for (const [i, name] of plan.variables) vars[name] = row.fields[i]!;
  return JSON.stringify(vars);
}
