/**
 * The fields of a phonebook contact as the API and CSV uploads name them (seed 001's names), and
 * the normalisation every contact goes through however it arrives: numbers to E.164, empty text
 * to null. Pure.
 */
import { RECIPIENT_NUM_TYPES, type RecipientNumType } from '../campaigns/phonebook-recipients.js';

/** The nine number fields; a campaign's recipient_num_type picks one of them. */
export const CONTACT_NUMBER_FIELDS: readonly RecipientNumType[] = RECIPIENT_NUM_TYPES;
export const CONTACT_TEXT_FIELDS = ['first_name', 'last_name', 'company', 'email'] as const;

export type ContactNumberField = RecipientNumType;
export type ContactTextField = (typeof CONTACT_TEXT_FIELDS)[number];
export type ContactField = ContactTextField | ContactNumberField;

/** Every field, in the column order of INSERT and COPY into `contacts` (after phonebook_id). */
export const CONTACT_FIELDS: readonly ContactField[] = [...CONTACT_TEXT_FIELDS, ...CONTACT_NUMBER_FIELDS];

/** A contact ready to store: E.164 numbers, null for absent values. */
export type ContactRecord = Record<ContactField, string | null> & { variables: Record<string, string> | null };

export function isNumberField(field: string): field is ContactNumberField {
  return (CONTACT_NUMBER_FIELDS as readonly string[]).includes(field);
}

/** Text as stored: trimmed, and null when nothing is left. */
export function textValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
