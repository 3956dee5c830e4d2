/** Which pids belong to which CPU group right now (see cpu.ts for what each group means). */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { PidsByGroup } from './cpu.js';

export async function redisPid(redis: Redis): Promise<number[]> {
  const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  return Number.isInteger(pid) && pid > 0 ? [pid] : [];
}

/** Backends of the bench database except the caller's own, and the postmaster's helpers. */
export async function postgresPids(db: pg.ClientBase): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE (datname = current_database() AND pid <> pg_backend_pid()) OR backend_type <> 'client backend'`,
  );
  return rows.map((r) => r.pid);
}

export async function currentPids(env: { db: pg.ClientBase; redis: Redis }, ours: number[], simulator: number[]): Promise<PidsByGroup> {
  return { ours, simulator, redis: await redisPid(env.redis), postgres: await postgresPids(env.db) };
}
