/**
 * Preloaded into a worker by `--profile` (`node --import …/query-counter.js dist/workers/main.js`):
 * counts every Postgres statement and Redis command the process issues, with the time each spent
 * waiting for its answer, and writes them to BENCH_COUNTS_FILE when the process exits. Divided by
 * the sends of the run, that is "statements and round trips per send" without pg_stat_statements
 * (which needs shared_preload_libraries and a server restart).
 * It patches pg.Client.prototype.query (pg.Pool and Prisma's pg adapter go through it) and ioredis
 * Redis.prototype.sendCommand (BullMQ's scripts show as EVALSHA; their names are looked up from
 * each connection's defined scripts). Not for production: it is a measuring instrument.
 */
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';

interface Tally {
  calls: number;
  waitMs: number;
}

const statements = new Map<string, Tally>();
const commands = new Map<string, Tally>();
const redisInstances = new Set<object>();

function tally(map: Map<string, Tally>, key: string, waitMs: number): void {
  const t = map.get(key);
  if (t) {
    t.calls++;
    t.waitMs += waitMs;
  } else map.set(key, { calls: 1, waitMs });
}

function statementKey(config: unknown): string {
  const text = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '(unknown)');
  return text.replace(/\s+/g, ' ').trim().slice(0, 120);
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const originalQuery = pg.Client.prototype.query as unknown as QueryFn;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const key = statementKey(args[0]);
  const started = performance.now();
  // pg.Pool passes a callback (and then query returns nothing): time the callback instead.
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const callback = args[last] as (err: unknown, ...rest: unknown[]) => unknown;
    args[last] = (err: unknown, ...rest: unknown[]) => {
      tally(statements, err ? `${key} (failed)` : key, performance.now() - started);
      return callback(err, ...rest);
    };
    return originalQuery.apply(this, args);
  }
  const result = originalQuery.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(
      () => tally(statements, key, performance.now() - started),
      () => tally(statements, `${key} (failed)`, performance.now() - started),
    );
  } else tally(statements, key, 0);
  return result;
};

interface RedisCommand {
  name: string;
  args: unknown[];
  promise: Promise<unknown>;
}
type SendCommand = (this: Redis, command: RedisCommand, stream?: unknown) => unknown;
const originalSend = Redis.prototype.sendCommand as unknown as SendCommand;
(Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand = function (this: Redis, command: RedisCommand, stream?: unknown) {
  redisInstances.add(this);
  const key = command.name === 'evalsha' ? `evalsha ${String(command.args[0]).slice(0, 12)}` : command.name;
  const started = performance.now();
  command.promise?.then(
    () => tally(commands, key, performance.now() - started),
    () => tally(commands, key, performance.now() - started),
  );
  return originalSend.call(this, command, stream);
};

/** sha prefix → BullMQ script name, from every connection's defined commands. */
function scriptNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const instance of redisInstances) {
    const set = (instance as { scriptsSet?: Record<string, { sha?: string }> }).scriptsSet ?? {};
    for (const [name, script] of Object.entries(set)) if (script.sha) names.set(script.sha.slice(0, 12), name);
  }
  return names;
}

process.on('exit', () => {
  const file = process.env.BENCH_COUNTS_FILE;
  if (!file) return;
  const names = scriptNames();
  const named = [...commands].map(([k, v]) => {
    const sha = k.startsWith('evalsha ') ? k.slice(8) : undefined;
    return [sha ? `evalsha ${names.get(sha) ?? sha}` : k, v] as const;
  });
  const sorted = (entries: Iterable<readonly [string, Tally]>) =>
    [...entries].sort((a, b) => b[1].calls - a[1].calls).map(([key, t]) => ({ key, calls: t.calls, waitMs: Math.round(t.waitMs) }));
  writeFileSync(file, JSON.stringify({ pid: process.pid, statements: sorted(statements), redis: sorted(named) }, null, 2));
});
