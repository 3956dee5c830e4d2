import pg from 'pg';

/**
 * Splits a DATABASE_URL into node-postgres settings. A `?schema=name` parameter (Prisma's
 * convention) becomes the connection's search_path, so tests and side-by-side deployments can
 * keep their tables in their own schema of one database.
 */
export interface ConnectionSettings {
  connectionString: string;
  schema?: string;
}

export function parseDatabaseUrl(databaseUrl: string): ConnectionSettings {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

export function poolConfig(databaseUrl: string, max = 10): pg.PoolConfig {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  return {
    connectionString,
    max,
    options: schema ? `-c search_path="${schema.replace(/"/g, '""')}"` : undefined,
    connectionTimeoutMillis: 5_000,
  };
}

/**
 * A pg pool that survives Postgres going away. An idle client whose connection drops (a Postgres
 * restart, a failover) makes the pool emit 'error'; with no listener Node would end the process —
 * the chaos suite's Postgres restart killed every worker that way. The pool drops that client and
 * opens a new one on the next query, and queries in the meantime fail and are retried by their
 * callers, so the event is only worth a log line.
 */
export function createPool(databaseUrl: string, max = 10, onIdleError?: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool(poolConfig(databaseUrl, max));
  pool.on('error', (err) => onIdleError?.(err));
  return pool;
}
