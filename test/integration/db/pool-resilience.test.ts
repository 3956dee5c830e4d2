/**
 * A pool whose idle connection is cut (as a Postgres restart does) must not take the process down,
 * and must serve the next query on a new connection.
 */
import { createPool } from '../../../src/db/connection.js';
import { TEST_DATABASE_BASE_URL } from '../../helpers/database.js';

test('an idle connection terminated by the server is reported and replaced', async () => {
  const lost: Error[] = [];
  const pool = createPool(TEST_DATABASE_BASE_URL, 1, (err) => lost.push(err));
  const admin = createPool(TEST_DATABASE_BASE_URL, 1);
  try {
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = rows[0]!.pid;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 50 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(lost).toHaveLength(1);
    const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(again.rows[0]!.pid).not.toBe(pid);
  } finally {
    await pool.end();
    await admin.end();
  }
});
