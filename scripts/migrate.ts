/** npm run migrate: creates the database if it is missing, then applies pending migrations. */
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { createPool, parseDatabaseUrl } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator.js';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { explainUnreachable } from '../src/db/unreachable.js';

async function ensureDatabase(databaseUrl: string): Promise<void> {
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
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
    await client.end();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  const pool = createPool(config.databaseUrl, 1);
  try {
    const result = await migrate(pool, MIGRATIONS_DIR);
    console.log(
      result.applied.length
        ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
        : `database is up to date (${result.alreadyApplied} migration(s))`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(explainUnreachable(err) ?? `migrate failed: ${(err as Error).message}`);
  process.exit(1);
});
