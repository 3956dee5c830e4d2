/**
 * The bench's own world: its database (`campaign_dispatch_bench` unless BENCH_DATABASE_URL says
 * otherwise — never the tests' database), a control connection to it, Redis, an API key, and the
 * directories results and logs go to. Every queue a run uses has a fresh prefix (`bench-…`), and
 * its keys are deleted when the run ends.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createApiKey } from '../../src/auth/api-keys.js';
import { DEFAULT_REDIS_URL } from '../../src/config/config.js';
import { createPool } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';
import { createPrisma } from '../../src/db/prisma.js';
import { ensureDatabase } from '../ensure-database.js';
import type { BenchOptions } from './options.js';
import { REPO_ROOT } from './paths.js';

export const DEFAULT_BENCH_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/campaign_dispatch_bench';

export interface BenchEnv {
  options: BenchOptions;
  databaseUrl: string;
  redisUrl: string;
  /** One connection the bench itself uses (setup, polling); excluded from the CPU figures. */
  db: pg.Client;
  redis: Redis;
  apiKey: string;
  logDir: string;
  /** Where --profile writes CPU profiles and statement counts. */
  profileDir: string;
  /** A queue prefix never used before in this Redis. */
  newPrefix(): string;
  /** Progress lines (stderr, so the table on stdout stays clean). */
  say(message: string): void;
  close(): Promise<void>;
}

export async function openBenchEnv(options: BenchOptions): Promise<BenchEnv> {
  const databaseUrl = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
  if (/\/test(\?|$)/.test(databaseUrl)) throw new Error('the bench must not use the tests\' database');
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, 1);
  try {
    await migrate(pool, join(REPO_ROOT, 'prisma', 'migrations'));
  } finally {
    await pool.end();
  }
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const prisma = createPrisma(databaseUrl, 1);
  let apiKey: string;
  try {
    apiKey = (await createApiKey(prisma, 'bench')).key;
  } finally {
    await prisma.$disconnect();
  }
  const base = options.out.replace(/\.json$/, '');
  const logDir = `${base}-logs`;
  const profileDir = `${base}-profiles`;
  mkdirSync(dirname(options.out), { recursive: true });
  mkdirSync(logDir, { recursive: true });
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  let prefixes = 0;
  return {
    options,
    databaseUrl,
    redisUrl,
    db,
    redis,
    apiKey,
    logDir,
    profileDir,
    newPrefix: () => `bench-${process.pid}-${Date.now().toString(36)}-${++prefixes}`,
    say: (message) => process.stderr.write(`[bench] ${message}\n`),
    async close() {
      await db.end();
      redis.disconnect();
    },
  };
}

/** Empties every campaign table of the bench database (instant, unlike DELETE). */
export async function resetLedger(db: pg.ClientBase): Promise<void> {
  await db.query('TRUNCATE campaign_recipients, campaigns, channels, suppressions, conversation_windows RESTART IDENTITY CASCADE');
}
