/**
 * Resolves a phonebook campaign's recipients at creation: each contact's number of the chosen
 * `recipient_num_type` is normalised and written to the ledger, so later phonebook edits do not
 * change who the campaign goes to. Contacts without that number, or with one that is not valid,
 * are reported back to the caller — never dropped silently.
 *
 * Contacts are read in id order in batches (keyset), so a large phonebook never sits in memory at
 * once; only the set of numbers seen so far does (for de-duplication).
 */
import type pg from 'pg';
import { insertRecipients } from './insert-recipients.js';
import type { RecipientRow } from './inline-recipients.js';
import { normalisePhoneNumber } from './phone-number.js';

/** Seed 001's recipient_num_type values and the contacts column each one reads. */
export const RECIPIENT_NUM_TYPE_COLUMNS = {
  business_number: 'business_number',
  business_number2: 'business_number2',
  mobile_number: 'mobile_number',
  mobile_number2: 'mobile_number2',
  home_number: 'home_number',
  home_number2: 'home_number2',
  business_fax: 'business_fax',
  home_fax: 'home_fax',
  other_number: 'other_number',
} as const;

export type RecipientNumType = keyof typeof RECIPIENT_NUM_TYPE_COLUMNS;
export const RECIPIENT_NUM_TYPES = Object.keys(RECIPIENT_NUM_TYPE_COLUMNS) as RecipientNumType[];

export interface SkippedContact {
  contact_id: string;
  reason: 'missing_number' | 'invalid_number';
}

export interface PhonebookResolution {
  inserted: number;
  duplicatesRemoved: number;
  skipped: SkippedContact[];
  skippedTotal: number;
}

/** At most this many skipped contacts are listed in an answer; `skippedTotal` always counts all. */
export const MAX_LISTED_SKIPPED = 1_000;
const BATCH_SIZE = 5_000;

interface ContactRow {
  id: string;
  number: string | null;
  variables: unknown;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  email: string | null;
}

/**
 * The variables a phonebook recipient carries: the contact's own `variables` object, plus its
 * name, company and email and its id (for tracing a ledger row back to the contact).
 */
function contactVariables(c: ContactRow): Record<string, unknown> {
  const own = typeof c.variables === 'object' && c.variables !== null && !Array.isArray(c.variables) ? (c.variables as Record<string, unknown>) : {};
  const vars: Record<string, unknown> = { ...own, contact_id: c.id };
  for (const key of ['first_name', 'last_name', 'company', 'email'] as const) {
    if (c[key] !== null) vars[key] = c[key];
  }
  return vars;
}

/** Whether the phonebook exists (read inside the caller's transaction). */
export async function phonebookExists(client: pg.ClientBase, phonebookId: bigint | number): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM phonebooks WHERE id = $1', [String(phonebookId)]);
  return (rowCount ?? 0) > 0;
}

/**
 * Copies the phonebook's contacts into the campaign's ledger inside the caller's transaction.
 * `numType` must be one of RECIPIENT_NUM_TYPES (the caller validated it; it picks a column name).
 */
export async function resolvePhonebookRecipients(
  client: pg.ClientBase,
  campaignId: string,
  phonebookId: bigint | number,
  numType: RecipientNumType,
): Promise<PhonebookResolution> {
  const column = RECIPIENT_NUM_TYPE_COLUMNS[numType];
  const sql = `SELECT id::text AS id, ${column} AS number, variables, first_name, last_name, company, email
               FROM contacts WHERE phonebook_id = $1 AND id > $2 ORDER BY id LIMIT $3`;
  const seen = new Set<string>();
  const result: PhonebookResolution = { inserted: 0, duplicatesRemoved: 0, skipped: [], skippedTotal: 0 };
  const skip = (contactId: string, reason: SkippedContact['reason']): void => {
    result.skippedTotal += 1;
    if (result.skipped.length < MAX_LISTED_SKIPPED) result.skipped.push({ contact_id: contactId, reason });
  };
  let after = '0';
  for (;;) {
    const { rows } = await client.query<ContactRow>(sql, [String(phonebookId), after, BATCH_SIZE]);
    if (rows.length === 0) break;
    const batch: RecipientRow[] = [];
    for (const contact of rows) {
      if (contact.number === null || contact.number.trim() === '') {
        skip(contact.id, 'missing_number');
        continue;
      }
      const parsed = normalisePhoneNumber(contact.number);
      if (!parsed.ok) {
        skip(contact.id, 'invalid_number');
        continue;
      }
      if (seen.has(parsed.e164)) {
        result.duplicatesRemoved += 1;
        continue;
      }
      seen.add(parsed.e164);
      batch.push({ number: parsed.e164, variables: contactVariables(contact) });
    }
    result.inserted += await insertRecipients(client, campaignId, batch);
    after = rows[rows.length - 1]!.id;
    if (rows.length < BATCH_SIZE) break;
  }
  return result;
}
