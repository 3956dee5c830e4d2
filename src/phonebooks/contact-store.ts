/**
 * Contacts of a phonebook: adding a JSON batch (one INSERT over unnested arrays — one round trip
 * and one plan per request, however many contacts), and reading them back in keyset pages.
 */
import type pg from 'pg';
import { AppError } from '../errors/index.js';
import { CONTACT_FIELDS, type ContactField, type ContactRecord } from './contact-fields.js';
import { isPhonebookId, phonebookNotFound } from './phonebook-store.js';

const INSERT_SQL = `
INSERT INTO contacts (phonebook_id, ${CONTACT_FIELDS.join(', ')}, variables)
SELECT $1::bigint, t.*
FROM unnest(${CONTACT_FIELDS.map((_, k) => `$${k + 2}::text[]`).join(', ')}, $${CONTACT_FIELDS.length + 2}::jsonb[])
  AS t(${CONTACT_FIELDS.join(', ')}, variables)`;

/**
 * Adds contacts to a phonebook in one statement.
 * @throws AppError PHONEBOOK_NOT_FOUND
 */
export async function insertContacts(db: pg.Pool, phonebookId: string, contacts: readonly ContactRecord[]): Promise<number> {
  if (!isPhonebookId(phonebookId)) throw phonebookNotFound(phonebookId);
  const exists = await db.query('SELECT 1 FROM phonebooks WHERE id = $1', [phonebookId]);
  if ((exists.rowCount ?? 0) === 0) throw phonebookNotFound(phonebookId);
  if (contacts.length === 0) return 0;
  const columns = CONTACT_FIELDS.map((field) => contacts.map((c) => c[field]));
  const variables = contacts.map((c) => (c.variables === null ? null : JSON.stringify(c.variables)));
  try {
    const result = await db.query(INSERT_SQL, [phonebookId, ...columns, variables]);
    return result.rowCount ?? 0;
  } catch (err) {
    // Deleted between the check and the insert.
    if ((err as { code?: string }).code === '23503') throw phonebookNotFound(phonebookId);
    throw err;
  }
}

export type ContactView = Record<ContactField, string | null> & {
  id: string;
  phonebook_id: string;
  variables: Record<string, unknown> | null;
  created_at: string;
};

export interface ContactPage {
  items: ContactView[];
  next_cursor: string | null;
}

type ContactRow = Omit<ContactView, 'created_at'> & { created_at: Date };

/** @throws AppError PHONEBOOK_NOT_FOUND, VALIDATION_FAILED (field cursor) */
export async function listContacts(db: pg.Pool, phonebookId: string, options: { cursor?: string; limit: number }): Promise<ContactPage> {
  if (!isPhonebookId(phonebookId)) throw phonebookNotFound(phonebookId);
  if (options.cursor !== undefined && !/^\d{1,18}$/.test(options.cursor)) {
    throw new AppError('VALIDATION_FAILED', 'cursor must be the next_cursor of a previous page', { field: 'cursor' });
  }
  const exists = await db.query('SELECT 1 FROM phonebooks WHERE id = $1', [phonebookId]);
  if ((exists.rowCount ?? 0) === 0) throw phonebookNotFound(phonebookId);
  const { rows } = await db.query<ContactRow>(
    `SELECT id::text AS id, phonebook_id::text AS phonebook_id, ${CONTACT_FIELDS.join(', ')}, variables, created_at
     FROM contacts WHERE phonebook_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [phonebookId, options.cursor ?? '0', options.limit + 1],
  );
  const page = rows.slice(0, options.limit);
  return {
    items: page.map((r) => ({ ...r, created_at: r.created_at.toISOString() })),
    next_cursor: rows.length > options.limit ? page[page.length - 1]!.id : null,
  };
}
