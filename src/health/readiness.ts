/**
 * Readiness: can this process do its work right now? Shared by the API (/readyz) and the worker's
 * health server. Liveness (/healthz) is deliberately not this: a process whose Postgres is down is
 * alive and should not be restarted, only taken out of rotation until it is back.
 *
 * Every check runs on each call with its own time limit, in parallel, so one hung dependency costs
 * the caller `timeoutMs`, not a load balancer's whole probe timeout.
 */
import type pg from 'pg';
import { pendingMigrations } from '../db/migrator.js';

/** One named dependency check: resolves when healthy, rejects with the reason otherwise. */
export interface ReadinessCheck {
  name: string;
  run(): Promise<void>;
}

export type CheckState = 'ok' | 'failed';

export interface ReadinessReport {
  ready: boolean;
  /** Every check by name. */
  checks: Record<string, CheckState>;
  /** Why each failed check failed (for people; not a stable format). */
  errors: Record<string, string>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * The answer is public (probes carry no credentials), so a driver's message — which may name a
 * host or a database user — is reduced to its error code.
 */
function unreachable(what: string, err: unknown): Error {
  const code = (err as { code?: unknown } | null)?.code;
  return new Error(`${what} failed${typeof code === 'string' ? ` (${code})` : ''}`, { cause: err });
}

/** Postgres answers `SELECT 1`. */
export function postgresCheck(pool: Pick<pg.Pool, 'query'>): ReadinessCheck {
  return {
    name: 'postgres',
    async run() {
      await pool.query('SELECT 1').catch((err: unknown) => {
        throw unreachable('SELECT 1', err);
      });
    },
  };
}

/** Redis answers `PING`. */
export function redisCheck(redis: { ping(): Promise<string> }): ReadinessCheck {
  return {
    name: 'redis',
    async run() {
      const answer = await redis.ping().catch((err: unknown) => {
        throw unreachable('PING', err);
      });
      if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
    },
  };
}

/**
 * A stand-in for PING when the caller has a BullMQ queue but not its connection: one cheap read
 * (LLEN of the wait list) answers only if Redis does.
 */
export function queueAsPing(queue: { getJobCounts(...types: 'waiting'[]): Promise<unknown> }): { ping(): Promise<string> } {
  return {
    async ping() {
      await queue.getJobCounts('waiting');
      return 'PONG';
    },
  };
}

/**
 * Every committed migration is applied. A process running against an older schema would fail on
 * the first statement that touches a new column, so it is not ready until `npm run migrate` ran.
 */
export function migrationsCheck(pool: Pick<pg.Pool, 'query'>, migrationsDir: string): ReadinessCheck {
  return {
    name: 'migrations',
    async run() {
      // pendingMigrations reads an unreachable database as "nothing applied"; ask first, so an
      // outage reads as an outage and not as N pending migrations.
      await pool.query('SELECT 1').catch((err: unknown) => {
        throw unreachable('reading applied migrations', err);
      });
      const pending = await pendingMigrations(pool as pg.Pool, migrationsDir);
      if (pending.length > 0) {
        throw new Error(`${pending.length} pending migration(s): ${pending.join(', ')}; run npm run migrate`);
      }
    },
  };
}

/** The checks both processes run: Postgres, Redis and the schema. */
export function standardChecks(deps: { pool: Pick<pg.Pool, 'query'>; redis: { ping(): Promise<string> }; migrationsDir: string }): ReadinessCheck[] {
  return [postgresCheck(deps.pool), redisCheck(deps.redis), migrationsCheck(deps.pool, deps.migrationsDir)];
}

function withTimeout(run: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    run(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A function that runs every check and reports; call it per probe. */
export function createReadiness(checks: readonly ReadinessCheck[], options: { timeoutMs?: number } = {}): () => Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return async () => {
    const results = await Promise.allSettled(checks.map((check) => withTimeout(() => check.run(), timeoutMs)));
    const report: ReadinessReport = { ready: true, checks: {}, errors: {} };
    results.forEach((result, i) => {
      const name = checks[i]!.name;
      if (result.status === 'fulfilled') {
        report.checks[name] = 'ok';
      } else {
        report.ready = false;
        report.checks[name] = 'failed';
        report.errors[name] = result.reason instanceof Error ? result.reason.message : String(result.reason);
      }
    });
    return report;
  };
}
