/**
 * Runs work on one pooled connection inside BEGIN … COMMIT, rolling back on any error. Lifecycle
 * changes that touch the campaign and its ledger (cancel, expire, resend) commit both or neither.
 */
import type pg from 'pg';

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
