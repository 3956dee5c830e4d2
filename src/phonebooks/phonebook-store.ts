/**
 * Phonebooks: create, list (keyset pages by id, each with its contact count), read, delete.
 *
 * Deleting is always allowed, whatever campaigns were created from the phonebook: a phonebook
 * campaign copies the contacts into its own ledger when it is created (phonebook-recipients.ts),
 * so no campaign — draft, running or finished — reads the phonebook afterwards. The contacts go
 * with it (ON DELETE CASCADE); a campaign keeps its ledger and its `recipient_id` as history.
 */
import type pg from 'pg';
import { AppError } from '../errors/index.js';

export interface PhonebookView {
  id: string;
  name: string;
  contact_count: number;
  created_at: string;
}

export interface PhonebookPage {
  items: PhonebookView[];
  next_cursor: string | null;
}

interface PhonebookRow {
  id: string;
  name: string;
  contact_count: string;
  created_at: Date;
}

const SELECT_PHONEBOOK = `SELECT p.id::text AS id, p.name, p.created_at,
  (SELECT count(*) FROM contacts c WHERE c.phonebook_id = p.id) AS contact_count
  FROM phonebooks p`;

/** Phonebook ids are bigints; anything else in a URL names no phonebook. */
export function isPhonebookId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id);
}

export function phonebookNotFound(id: string): AppError {
  return new AppError('PHONEBOOK_NOT_FOUND', `no phonebook with id ${id}`);
}

function toView(row: PhonebookRow): PhonebookView {
  return { id: row.id, name: row.name, contact_count: Number(row.contact_count), created_at: row.created_at.toISOString() };
}

export async function createPhonebook(db: pg.Pool, name: string): Promise<PhonebookView> {
  const { rows } = await db.query<{ id: string; name: string; created_at: Date }>(
    'INSERT INTO phonebooks (name) VALUES ($1) RETURNING id::text AS id, name, created_at',
    [name],
  );
  const row = rows[0]!;
  return { id: row.id, name: row.name, contact_count: 0, created_at: row.created_at.toISOString() };
}

/** @throws AppError PHONEBOOK_NOT_FOUND */
export async function getPhonebook(db: pg.Pool, id: string): Promise<PhonebookView> {
  if (!isPhonebookId(id)) throw phonebookNotFound(id);
  const { rows } = await db.query<PhonebookRow>(`${SELECT_PHONEBOOK} WHERE p.id = $1`, [id]);
  if (rows.length === 0) throw phonebookNotFound(id);
  return toView(rows[0]!);
}

/** @throws AppError VALIDATION_FAILED (field cursor) */
export async function listPhonebooks(db: pg.Pool, options: { cursor?: string; limit: number }): Promise<PhonebookPage> {
  if (options.cursor !== undefined && !/^\d{1,18}$/.test(options.cursor)) {
    throw new AppError('VALIDATION_FAILED', 'cursor must be the next_cursor of a previous page', { field: 'cursor' });
  }
  const { rows } = await db.query<PhonebookRow>(`${SELECT_PHONEBOOK} WHERE p.id > $1 ORDER BY p.id LIMIT $2`, [options.cursor ?? '0', options.limit + 1]);
  const page = rows.slice(0, options.limit);
  return { items: page.map(toView), next_cursor: rows.length > options.limit ? page[page.length - 1]!.id : null };
}

/** @throws AppError PHONEBOOK_NOT_FOUND */
export async function deletePhonebook(db: pg.Pool, id: string): Promise<void> {
  if (!isPhonebookId(id)) throw phonebookNotFound(id);
  const { rowCount } = await db.query('DELETE FROM phonebooks WHERE id = $1', [id]);
  if ((rowCount ?? 0) === 0) throw phonebookNotFound(id);
}
