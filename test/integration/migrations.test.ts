/**
 * The committed migrations must produce exactly the schema that schema.prisma describes: we apply
 * Prisma's own SQL for schema.prisma to one scratch schema and our migrations to another, and
 * compare the catalogs. The migrator must also be safe to run from several processes at once.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { createPool } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';
import { MIGRATIONS_DIR, REPO_ROOT } from '../../src/db/paths.js';
import { schemaUrl, TEST_DATABASE_BASE_URL } from '../helpers/database.js';

const suffix = Math.random().toString(16).slice(2, 10);
const fromSchema = `drift_schema_${suffix}`;
const fromMigrations = `drift_migr_${suffix}`;

async function catalog(pool: pg.Pool, schema: string): Promise<string[]> {
  // Objects in the scratch schemas are named with their schema; drop it so the two compare.
  const q = async (sql: string) =>
    (await pool.query(sql, [schema])).rows.map((r) => JSON.stringify(r).split(`${schema}.`).join(''));
  return [
    ...(await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, datetime_precision
                 FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_prisma_migrations' ORDER BY 1, 2`)),
    ...(await q(`SELECT tablename, indexname, replace(indexdef, $1 || '.', '') AS def FROM pg_indexes
                 WHERE schemaname = $1 AND tablename <> '_prisma_migrations' ORDER BY 1, 2`)),
    ...(await q(`SELECT conname, contype, replace(pg_get_constraintdef(c.oid), $1 || '.', '') AS def FROM pg_constraint c
                 JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND conrelid::regclass::text NOT LIKE '%_prisma_migrations' ORDER BY 1`)),
    ...(await q(`SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
                 JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 ORDER BY 1, 3`)),
  ];
}

let admin: pg.Pool;
beforeAll(async () => {
  admin = createPool(TEST_DATABASE_BASE_URL, 2);
  await admin.query(`CREATE SCHEMA "${fromSchema}"; CREATE SCHEMA "${fromMigrations}"`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS "${fromSchema}" CASCADE; DROP SCHEMA IF EXISTS "${fromMigrations}" CASCADE`);
  await admin.end();
});

test('committed migrations produce the schema that schema.prisma describes', async () => {
  const sql = execFileSync('node', [join(REPO_ROOT, 'tools/prisma-sql/sql-from-schema.mjs'), 'empty', join(REPO_ROOT, 'prisma/schema.prisma')], {
    encoding: 'utf8',
  });
  expect(sql).toContain('CREATE TABLE "campaign_recipients"');
  const direct = createPool(schemaUrl(fromSchema), 1);
  await direct.query(sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/, ''));
  const migrated = createPool(schemaUrl(fromMigrations), 1);
  await migrate(migrated, MIGRATIONS_DIR);
  try {
    const expected = await catalog(admin, fromSchema);
    const actual = await catalog(admin, fromMigrations);
    expect(expected.length).toBeGreaterThan(50);
    expect(actual).toEqual(expected);
  } finally {
    await direct.end();
    await migrated.end();
  }
}, 60_000);

test('the schema snapshot beside the migrations matches schema.prisma (no migration forgotten)', () => {
  const schema = readFileSync(join(REPO_ROOT, 'prisma/schema.prisma'), 'utf8');
  const snapshot = readFileSync(join(MIGRATIONS_DIR, 'schema_snapshot.prisma'), 'utf8');
  expect(snapshot).toBe(schema);
});

test('migrating from several processes at once applies each migration once and records Prisma checksums', async () => {
  const schema = `drift_conc_${suffix}`;
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const pools = [0, 1, 2].map(() => createPool(schemaUrl(schema), 1));
  try {
    const results = await Promise.all(pools.map((p) => migrate(p, MIGRATIONS_DIR)));
    expect(results.reduce((n, r) => n + r.applied.length, 0)).toBe(results[0]!.applied.length + results[0]!.alreadyApplied);
    const { rows } = await admin.query(`SELECT migration_name, checksum, finished_at FROM "${schema}"."_prisma_migrations"`);
    expect(rows.length).toBe(results[0]!.applied.length + results[0]!.alreadyApplied);
    for (const r of rows) expect(r.finished_at).not.toBeNull();
    // A second run is a no-op.
    const again = await migrate(pools[0]!, MIGRATIONS_DIR);
    expect(again.applied).toEqual([]);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}, 60_000);
