/**
 * A fresh Postgres schema per test file, migrated with the committed migrations, dropped at the end.
 * Tests talk to the real Postgres (TEST_DATABASE_URL, default the local `test` database).
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createPool } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';
import { MIGRATIONS_DIR } from '../../src/db/paths.js';
import { createPrisma, type PrismaClient } from '../../src/db/prisma.js';

export const TEST_DATABASE_BASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** DATABASE_URL for this schema (pass it to child processes). */
  url: string;
  schema: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export function schemaUrl(schema: string): string {
  const url = new URL(TEST_DATABASE_BASE_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const schema = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = createPool(TEST_DATABASE_BASE_URL, 1);
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const url = schemaUrl(schema);
  const pool = createPool(url, 5);
  await migrate(pool, MIGRATIONS_DIR);
  const prisma = createPrisma(url, 5);
  return {
    url,
    schema,
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      const dropper = createPool(TEST_DATABASE_BASE_URL, 1);
      await dropper.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dropper.end();
    },
  };
}
