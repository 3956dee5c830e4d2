/**
 * Creates the database a DATABASE_URL names when it is missing (and its `?schema=` schema), so
 * `npm run migrate` and `npm run demo` work on a fresh Postgres. Connects to the `postgres`
 * maintenance database of the same server to do so.
 */
import pg from 'pg';
import { parseDatabaseUrl } from '../src/db/connection.js';

export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // Another process may have created it at the same moment.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await admin.end();
  }
  if (schema) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }
}
