/**
 * Postgres work counters of the bench database (pg_stat_database): committed transactions — one
 * per statement outside an explicit transaction, so "statements per send" for this code base, which
 * sends its hot-path statements one by one — and tuples updated / inserted. Unlike Redis's, these
 * count only the bench database. They are updated by the backends at the end of each transaction
 * and flushed to the statistics at most every second or so, hence the short settle before reading.
 */
import type pg from 'pg';

export interface PgCounters {
  xactCommit: number;
  xactRollback: number;
  tupUpdated: number;
  tupInserted: number;
  tupReturned: number;
  blksRead: number;
}

export async function pgCounters(db: pg.ClientBase): Promise<PgCounters> {
  await db.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await db.query<Record<string, string>>(
    `SELECT xact_commit, xact_rollback, tup_updated, tup_inserted, tup_returned, blks_read
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  const r = rows[0]!;
  return {
    xactCommit: Number(r.xact_commit),
    xactRollback: Number(r.xact_rollback),
    tupUpdated: Number(r.tup_updated),
    tupInserted: Number(r.tup_inserted),
    tupReturned: Number(r.tup_returned),
    blksRead: Number(r.blks_read),
  };
}

export function countersBetween(a: PgCounters, b: PgCounters): PgCounters {
  return {
    xactCommit: b.xactCommit - a.xactCommit,
    xactRollback: b.xactRollback - a.xactRollback,
    tupUpdated: b.tupUpdated - a.tupUpdated,
    tupInserted: b.tupInserted - a.tupInserted,
    tupReturned: b.tupReturned - a.tupReturned,
    blksRead: b.blksRead - a.blksRead,
  };
}
