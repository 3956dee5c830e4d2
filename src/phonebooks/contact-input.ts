/**
 * Contacts sent as JSON (`POST /v1/phonebooks/:id/contacts`): every number normalised, the first
 * bad one refusing the whole request with its field (`contacts[3].mobile_number`) — a JSON body is
 * a program's output, and a program wants an error it can act on, not a partial import. Pure.
 */
import { describeNumberProblem, normalisePhoneNumber } from '../campaigns/phone-number.js';
import { AppError } from '../errors/index.js';
import { CONTACT_NUMBER_FIELDS, CONTACT_TEXT_FIELDS, textValue, type ContactField, type ContactRecord } from './contact-fields.js';

export type ContactInput = Partial<Record<ContactField, string | null>> & { variables?: Record<string, string> };

/**
 * @throws AppError INVALID_PHONE_NUMBER (field `contacts[i].<number field>`), VALIDATION_FAILED
 *   (field `contacts[i]`) for a contact without any number.
 */
export function normaliseContacts(list: readonly ContactInput[]): ContactRecord[] {
  return list.map((input, i) => {
    const record = { variables: input.variables && Object.keys(input.variables).length > 0 ? input.variables : null } as ContactRecord;
    for (const field of CONTACT_TEXT_FIELDS) record[field] = textValue(input[field]);
    let numbers = 0;
    for (const field of CONTACT_NUMBER_FIELDS) {
      const raw = textValue(input[field]);
      if (raw === null) {
        record[field] = null;
        continue;
      }
      const parsed = normalisePhoneNumber(raw);
      if (!parsed.ok) {
        throw new AppError('INVALID_PHONE_NUMBER', `contacts[${i}].${field} ${describeNumberProblem(parsed.reason)}`, { field: `contacts[${i}].${field}` });
      }
      record[field] = parsed.e164;
      numbers += 1;
    }
    if (numbers === 0) {
      throw new AppError('VALIDATION_FAILED', `contacts[${i}] needs at least one number (${CONTACT_NUMBER_FIELDS.join(', ')})`, { field: `contacts[${i}]` });
    }
    return record;
  });
}
