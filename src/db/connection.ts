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

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  return new pg.Pool(poolConfig(databaseUrl, max));
}
