/**
 * The start-up wait (src/health/retry-until-ready.ts) on a fake clock: the delay schedule, what is
 * retried and what is thrown, the warn line per failed try, and an abort ending the wait.
 */
import { pino } from 'pino';
import {
  dependencyUnreachable,
  failureSummary,
  retryUntilReady,
  startupRetryDelayMs,
  STARTUP_RETRY_BASE_MS,
  STARTUP_RETRY_CAP_MS,
} from '../../../src/health/retry-until-ready.js';
import { createStartupChecks } from '../../../src/health/startup-checks.js';

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A pino logger writing its JSON lines to memory. */
function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('startupRetryDelayMs', () => {
  it('doubles from the base and stops at the cap, spread over 80–120 %', () => {
    const mid = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => startupRetryDelayMs(n, 0.5));
    expect(mid).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    expect(startupRetryDelayMs(1, 0)).toBe(STARTUP_RETRY_BASE_MS * 0.8);
    expect(startupRetryDelayMs(1_000, 0.999_999)).toBeLessThanOrEqual(STARTUP_RETRY_CAP_MS * 1.2);
    expect(startupRetryDelayMs(3, 0.5, 100, 250)).toBe(250);
  });
});

describe('retryUntilReady', () => {
  it('retries an unreachable dependency with growing delays, logs each try at warn, then returns', async () => {
    const time = fakeTime();
    const { log, lines } = memoryLog();
    const seen: number[] = [];
    const value = await retryUntilReady(
      async (n) => {
        seen.push(n);
        if (n < 5) throw refused();
        return 'runtime';
      },
      { what: 'Postgres and Redis', log, sleep: time.sleep, now: time.now, random: () => 0.5, onRetry: (f) => expect(f.err).toBeInstanceOf(Error) },
    );
    expect(value).toBe('runtime');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(time.sleeps).toEqual([500, 1000, 2000, 4000]);
    const warns = lines.filter((l) => l.level === 40);
    expect(warns.map((l) => [l.attempt, l.nextDelayMs, l.reason])).toEqual([
      [1, 500, 'Postgres: ECONNREFUSED'],
      [2, 1000, 'Postgres: ECONNREFUSED'],
      [3, 2000, 'Postgres: ECONNREFUSED'],
      [4, 4000, 'Postgres: ECONNREFUSED'],
    ]);
    expect(warns[0]!.msg).toBe('Postgres and Redis not reachable; trying again in 500 ms');
    expect(lines.at(-1)).toMatchObject({ level: 30, attempts: 5, waitedMs: 7500 });
  });

  it('does not log or sleep when the first try succeeds', async () => {
    const time = fakeTime();
    const { log, lines } = memoryLog();
    await expect(retryUntilReady(async () => 1, { what: 'x', log, sleep: time.sleep })).resolves.toBe(1);
    expect(time.sleeps).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('throws a configuration error at once', async () => {
    const time = fakeTime();
    const { log } = memoryLog();
    const badPassword = Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' });
    await expect(
      retryUntilReady(
        async () => {
          throw badPassword;
        },
        { what: 'x', log, sleep: time.sleep },
      ),
    ).rejects.toBe(badPassword);
    expect(time.sleeps).toEqual([]);
  });

  it('ends the wait when aborted (SIGTERM while waiting)', async () => {
    const { log } = memoryLog();
    const aborted = new AbortController();
    let tries = 0;
    const waiting = retryUntilReady(
      async () => {
        tries++;
        throw refused();
      },
      { what: 'x', log, signal: aborted.signal, baseDelayMs: 60_000 },
    );
    await new Promise((r) => setTimeout(r, 20));
    aborted.abort(new Error('SIGTERM'));
    await expect(waiting).rejects.toThrow('SIGTERM');
    expect(tries).toBe(1);
  });
});

describe('dependencyUnreachable', () => {
  it.each([
    { what: 'refused', err: refused(), expected: true },
    { what: 'refused on both addresses', err: new AggregateError([refused(), refused()]), expected: true },
    { what: 'Postgres starting up', err: Object.assign(new Error('the database system is starting up'), { code: '57P03' }), expected: true },
    { what: 'pg connect timeout', err: new Error('Connection terminated due to connection timeout'), expected: true },
    { what: 'Redis, re-labelled', err: new Error('cannot connect to Redis: Reached the max retries per request limit (which is 3)'), expected: true },
    { what: 'wrong password', err: Object.assign(new Error('password authentication failed'), { code: '28P01' }), expected: false },
    { what: 'no such database', err: Object.assign(new Error('database "x" does not exist'), { code: '3D000' }), expected: false },
    { what: 'a bug', err: new TypeError('cannot read properties of undefined'), expected: false },
  ])('$what → $expected', ({ err, expected }) => {
    expect(dependencyUnreachable(err)).toBe(expected);
  });
});

describe('failureSummary', () => {
  it('names the dependency and keeps only the code (readiness is public)', () => {
    const redis = Object.assign(new Error('cannot connect to Redis: connect ECONNREFUSED 10.0.0.7:6380'), { code: 'ECONNREFUSED' });
    expect(failureSummary(redis)).toBe('Redis: ECONNREFUSED');
    expect(failureSummary(refused())).toBe('Postgres: ECONNREFUSED');
    expect(failureSummary(new Error('Connection terminated due to connection timeout'))).toBe('Postgres: Connection terminated due to connection timeout');
  });
});

describe('createStartupChecks', () => {
  it('fails with the reason until the real checks are handed over, then delegates by name', async () => {
    const startup = createStartupChecks(['postgres', 'redis']);
    startup.waiting('waiting for Postgres and Redis (ECONNREFUSED)');
    await expect(startup.checks[0]!.run()).rejects.toThrow('not started: waiting for Postgres and Redis (ECONNREFUSED)');
    let ran = '';
    startup.use([
      { name: 'redis', run: async () => void (ran += 'redis') },
      { name: 'postgres', run: async () => void (ran += 'postgres') },
    ]);
    await startup.checks[0]!.run();
    await startup.checks[1]!.run();
    expect(ran).toBe('postgresredis');
  });
});
