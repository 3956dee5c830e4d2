/**
 * The row processor for contacts uploaded as CSV: columns named like the JSON fields
 * (`first_name`, `mobile_number`, …, case-insensitive), every other named column a variable.
 * A row is rejected (not the upload) for a number that cannot be normalised — the first such
 * column is named — or for having no number at all. Rows become COPY lines for `contacts`.
 */
import { normalisePhoneNumber } from '../campaigns/phone-number.js';
import { AppError } from '../errors/index.js';
import { rejection, type Rejection } from '../ingest/rejections.js';
import { copyField, headerNames, isBlankRow, structuralProblem, type RowProcessor } from '../ingest/row-processor.js';
import { CONTACT_FIELDS, CONTACT_NUMBER_FIELDS, isNumberField, textValue, type ContactField } from './contact-fields.js';

export interface ContactPlan {
  phonebookId: string;
  width: number;
  /** For each of CONTACT_FIELDS, its column index, or -1. */
  fieldIndex: number[];
  variables: [number, string][];
}

/** `COPY contacts (…)`: the columns every line of the processor's output fills, in order. */
export const CONTACT_COPY_COLUMNS = ['phonebook_id', ...CONTACT_FIELDS, 'variables'];

export function contactRows(phonebookId: string): RowProcessor<ContactPlan> {
  return {
    readHeader(names) {
      const trimmed = headerNames(names);
      const lower = trimmed.map((n) => n.toLowerCase());
      const fieldIndex = CONTACT_FIELDS.map((f) => lower.indexOf(f));
      if (!CONTACT_FIELDS.some((f, k) => isNumberField(f) && fieldIndex[k]! >= 0)) {
        throw new AppError('CSV_HEADER_INVALID', `the header row needs at least one number column (${CONTACT_NUMBER_FIELDS.join(', ')})`, { field: 'header' });
      }
      const known = new Set(fieldIndex);
      const variables: [number, string][] = [];
      trimmed.forEach((name, i) => {
        if (!known.has(i) && name !== '') variables.push([i, name]);
      });
      return { phonebookId, width: trimmed.length, fieldIndex, variables };
    },

    processBatch(plan, rows) {
      let copy = '';
      let accepted = 0;
      const rejections: Rejection[] = [];
      rowLoop: for (const row of rows) {
        if (!row.problem && isBlankRow(row.fields)) continue;
        const problem = structuralProblem(row, plan.width);
        if (problem) {
          rejections.push(problem);
          continue;
        }
        let line = plan.phonebookId;
        let numbers = 0;
        for (let k = 0; k < CONTACT_FIELDS.length; k++) {
          const field: ContactField = CONTACT_FIELDS[k]!;
          const index = plan.fieldIndex[k]!;
          const value = index < 0 ? null : textValue(row.fields[index]);
          if (value !== null && isNumberField(field)) {
            const parsed = normalisePhoneNumber(value);
            if (!parsed.ok) {
              rejections.push(rejection(row.line, parsed.reason === 'invalid' ? 'invalid_number' : parsed.reason === 'empty' ? 'missing_number' : parsed.reason, value, field));
              continue rowLoop;
            }
            numbers += 1;
            line += `\t${parsed.e164}`;
          } else {
            line += `\t${copyField(value)}`;
          }
        }
        if (numbers === 0) {
          rejections.push(rejection(row.line, 'no_number'));
          continue;
        }
        let vars: Record<string, string> | null = null;
        if (plan.variables.length > 0) {
          vars = {};
          for (const [i, name] of plan.variables) vars[name] = row.fields[i]!;
        }
        copy += `${line}\t${copyField(vars === null ? null : JSON.stringify(vars))}\n`;
        accepted += 1;
      }
      return { copy, accepted, rejections };
    },
  };
}
