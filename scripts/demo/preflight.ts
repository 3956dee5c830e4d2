/**
 * Before anything is started: is Postgres there (and migrated), is Redis there? Failures keep
 * their connection error codes so `explainUnreachable` can turn them into advice.
 */
import { Redis } from 'ioredis';
import { createPool } from '../../src/db/connection.js';
import { migrate, type MigrateResult } from '../../src/db/migrator.js';
import { MIGRATIONS_DIR } from '../../src/db/paths.js';
import { explainUnreachable } from '../../src/db/unreachable.js';
import { ensureDatabase } from '../ensure-database.js';

/** Creates the database if needed and applies pending migrations, as `npm run migrate` does. */
export async function prepareDatabase(databaseUrl: string): Promise<MigrateResult> {
  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, 1);
  try {
    return await migrate(pool, MIGRATIONS_DIR);
  } finally {
    await pool.end();
  }
}

/** Connects once, without retrying, and pings. */
export async function checkRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed."; the socket error (ECONNREFUSED…) comes
  // as an 'error' event, which also must be listened to or ioredis prints it as unhandled.
  let socketError: unknown;
  redis.on('error', (err) => {
    socketError ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const e = (socketError ?? err) as { code?: string; message?: string };
    // Names Redis in the message: explainUnreachable tells Postgres and Redis apart by it.
    throw Object.assign(new Error(`Redis: ${e.message ?? String(err)}`, { cause: err }), { code: e.code });
  } finally {
    redis.disconnect();
  }
}

/** Postgres or Redis cannot be reached; the message says how to start them. */
export class ServicesUnreachable extends Error {
  override name = 'ServicesUnreachable';
}

/**
 * Migrates the database and checks Redis. Connection failures become a `ServicesUnreachable`
 * carrying advice instead of a stack trace.
 */
export async function preflight(urls: { databaseUrl: string; redisUrl: string }): Promise<MigrateResult> {
  try {
    const migrated = await prepareDatabase(urls.databaseUrl);
    await checkRedis(urls.redisUrl);
    return migrated;
  } catch (err) {
    const advice = explainUnreachable(err, urls);
    if (advice) throw new ServicesUnreachable(advice, { cause: err });
    throw err;
  }
}
