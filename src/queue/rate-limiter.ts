/**
 * A rate limiter shared by every worker process: sliding windows in Redis, one atomic script call
 * per check (rate-limiter-script.ts).
 *
 * Why not BullMQ's limiter: it is a fixed window per queue — up to 2× the limit lands in some
 * sliding second (notes/bullmq.md), and it pauses the whole queue, so one throttled channel would
 * hold back every other. Per-group limits are BullMQ Pro only.
 *
 * How it works
 * - Each limit (channel, provider account, channel+number pair — src/policy/rate-limits.ts) is a
 *   sorted set of the admission times of its recent sends. A send is admitted only when every one
 *   of its limits has room in the window ending now; then its time is added to all of them in the
 *   same script call. So in any window of `windowMs` (+ margin) no limit admits more than `limit`,
 *   whichever process asks — a true sliding window, not buckets.
 * - Pacing: within the window, sends are also spaced `window / limit` apart (GCRA, with a burst
 *   of 10 % of the limit to catch up after a late one) — see the script for why a bare window is
 *   not enough when the provider measures.
 * - `margin` widens every window a little: the limiter sees admission times, the provider sees
 *   arrival times, and the few milliseconds between the two vary per request (event loop, GC,
 *   sockets). Without it two sends admitted 1000.1 ms apart can arrive 999 ms apart.
 * - A refused caller learns how long to wait; the send job then re-schedules itself
 *   (moveToDelayed + DelayedError: no attempt spent, no concurrency slot held while waiting).
 *   Waiters are not told "when the window frees" all alike — they would come back as one herd and
 *   all but one be refused again. A new waiter is handed the next slot of a per-limit pointer
 *   spaced `window / limit` apart, so waiters return at the limit's own pace; a waiter that comes
 *   back at its slot and still finds the window full (arrival jitter, a newcomer took the room)
 *   keeps its place and waits only for the window to free. Slots are handed out at most `horizon`
 *   ahead, so a campaign that is paused with thousands of queued sends delays another campaign on
 *   the same channel by at most the horizon.
 * - Cool-downs: a provider's 429 / "business reached its limit" sets a "no sends before T" on the
 *   limit it concerns; the same script call honours it.
 * - `peek` checks without recording (done before the recipient is claimed, so a send that must wait
 *   costs no database write); `acquire` checks and records (done after the claim, with the
 *   provider request made and held at its socket, so the bytes leave right after the admission);
 *   `release` gives an admission back unused (its log entry and its pacing spacing) — the send step
 *   does that with an admission that went stale before its request could be written
 *   (src/dispatch/admission.ts): measured at the simulator with three worker processes on a loaded
 *   box, the time between the admission and the request leaving was the main source of arrivals
 *   bunching past the limit.
 * - A refusal says which layer refused (`refusedBy`: channel, account, pair) for metrics and logs.
 *
 * Redis Cluster: the script touches several keys; on a cluster they would need one hash tag. We run
 * a single Redis (BullMQ needs one per queue anyway).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LimitScope, LimitSpec } from '../policy/rate-limits.js';
import { COOL_DOWN_SCRIPT, RATE_LIMIT_SCRIPT, RELEASE_SCRIPT } from './rate-limiter-script.js';

export interface RateLimiterOptions {
  /** Slots are handed out at most this far ahead (ms). */
  horizonMs?: number;
  /** Added to every window (ms); see module comment. */
  marginMs?: number;
  /** The local clock (ms) used to time an admission (tests may pass their own). */
  now?: () => number;
  /** How much later a loose (not tight) admission may leave, and is recorded (ms). */
  looseLagMs?: number;
}

export const DEFAULT_LIMITER_HORIZON_MS = 10_000;
export const DEFAULT_LIMITER_MARGIN_MS = 30;
/**
 * Default of `looseLagMs`: a send admitted far below its limits may leave up to this much later
 * than a tight one — a stall of a few tens of ms does not make it give its admission back — and is
 * recorded that far ahead, so it stays counted as long as the provider can count it.
 */
export const DEFAULT_LIMITER_LOOSE_LAG_MS = 100;

/**
 * An admission: proof that room was taken under every limit of a send, and when it was asked for.
 * Give it back with `release` when the send will not go out under it after all.
 */
export interface Admission {
  /** The member recorded in each limit's log. */
  readonly member: string;
  /** The limits it was taken under. */
  readonly limits: readonly LimitSpec[];
  /** Local clock when the acquire was sent to Redis (the admission happened after this). */
  readonly askedAt: number;
  /**
   * When the admission happened, on the local clock: Redis' clock at the admission plus this
   * process' estimate of the offset between the clocks (the smallest receive − Redis time seen
   * recently: offset plus the fastest reply's transit, so at most that transit late). A command
   * that waited in Redis behind other clients does not make its admission look old; only the time
   * after it does. Never earlier than `askedAt`.
   */
  readonly admittedAt: number;
  /**
   * Taken where a limit is in use: a pair limit, or a rate limit whose window holds more than half
   * its limit or whose pacing runs ahead. A loose admission (far below every limit) was recorded
   * `looseLagMs` ahead and may leave that much later (`lateMs`); the room hint keys off it too.
   */
  readonly tight: boolean;
  /**
   * How far after the admission it was recorded in the limits' logs: the announced lateness of a
   * late send, at least the loose lag for a loose one, else 0. Its request may leave up to this much
   * later than the caller's usual lag, and no later (dispatch/admission.ts).
   */
  readonly lateMs: number;
}

export type LimiterAnswer =
  | { ok: true; admission: Admission }
  /**
   * `slotted`: the wait ends at a slot handed to this caller (pass `reserved` when it comes back).
   * `refusedBy`: the layer whose limit (or cool-down) set the wait.
   */
  | { ok: false; waitMs: number; slotted: boolean; refusedBy: LimitScope };

export interface RateLimiter {
  /** Is there room under every limit now? Records nothing. */
  peek(limits: readonly LimitSpec[], options?: { reserved?: boolean }): Promise<LimiterAnswer>;
  /**
   * Takes room under every limit at once, or none. `lateMs`: the send may leave up to this much
   * later than the margin allows for (an escalated write deadline); it is checked and recorded as
   * if admitted that much later (rate-limiter-script.ts), so it cannot push the provider's count
   * past a limit.
   */
  acquire(limits: readonly LimitSpec[], options?: { reserved?: boolean; lateMs?: number }): Promise<LimiterAnswer>;
  /**
   * Gives an admission's room back (its send never went out): removes it from every log and moves
   * each rate limit's pacing back one spacing. Only lost capacity is restored, never excess — the
   * room is free again only because nothing used it.
   */
  release(admission: Admission): Promise<void>;
  /** No sends under `key` for `ms` (extends, never shortens, a cool-down). */
  coolDown(key: string, ms: number): Promise<void>;
}

/**
 * How many sends a rate limit lets go back to back: 10 % of the limit (at least 1) — enough to catch
 * up after a waiter came back late, small enough that a burst reaches the provider as a burst and
 * not smeared across its next second. Measured on the loaded 2-core box (load average ~15) with
 * three clients: no burst at all (strict `window / limit` spacing) achieved only 69 % of a 50/s
 * limit — every late waiter is capacity lost for good — against 98 % with this one. The burst does
 * not let more than `limit` through in any window (the sliding window is the hard check); what keeps
 * the provider's count under the limit is the margin plus fresh admissions (dispatch/admission.ts).
 */
export function burstOf(limit: number): number {
  return Math.max(1, Math.ceil(limit / 10));
}

/**
 * How far apart a rate limit paces sends: its window widened by the margin, over its limit — the
 * spacing the script's GCRA uses (`intervals` in rate-limiter-script.ts).
 */
export function pacingIntervalMs(limit: Pick<LimitSpec, 'limit' | 'windowMs'>, marginMs: number): number {
  return (limit.windowMs + marginMs) / limit.limit;
}

type LimiterRedis = Redis & {
  cdRateLimit(numKeys: number, ...args: (string | number)[]): Promise<[number, number, number, number, number, string, string]>;
  cdCoolDown(numKeys: number, ...args: (string | number)[]): Promise<number>;
  cdRelease(numKeys: number, ...args: (string | number)[]): Promise<number>;
};

/** Creates a limiter whose keys live under `keyPrefix` (e.g. `cd:rl:`), on the caller's connection. */
export function createRateLimiter(redis: Redis, keyPrefix: string, options: RateLimiterOptions = {}): RateLimiter {
  const horizonMs = options.horizonMs ?? DEFAULT_LIMITER_HORIZON_MS;
  const marginMs = options.marginMs ?? DEFAULT_LIMITER_MARGIN_MS;
  const looseLagMs = options.looseLagMs ?? DEFAULT_LIMITER_LOOSE_LAG_MS;
  const now = options.now ?? Date.now;
  if (!('cdRateLimit' in redis)) {
    redis.defineCommand('cdRateLimit', { lua: RATE_LIMIT_SCRIPT });
    redis.defineCommand('cdCoolDown', { lua: COOL_DOWN_SCRIPT });
    redis.defineCommand('cdRelease', { lua: RELEASE_SCRIPT });
  }
  const r = redis as LimiterRedis;
  const clockOffset = createClockOffset();

  async function run(mode: 'peek' | 'acquire', limits: readonly LimitSpec[], reserved: boolean, lateMs = 0): Promise<LimiterAnswer> {
    const member = randomBytes(8).toString('hex');
    const askedAt = now();
    if (limits.length === 0) return { ok: true, admission: { member, limits, askedAt, admittedAt: askedAt, tight: false, lateMs: Number.POSITIVE_INFINITY } };
    const keys: string[] = [];
    const args: (string | number)[] = [mode, member, horizonMs, reserved ? '1' : '0', marginMs, Math.max(0, Math.ceil(lateMs)), looseLagMs];
    for (const limit of limits) {
      const base = keyPrefix + limit.key;
      keys.push(`${base}:log`, `${base}:cool`, `${base}:slot`, `${base}:pace`);
      args.push(limit.limit, limit.windowMs, limit.kind === 'rate' ? 'r' : 'p', burstOf(limit.limit));
    }
    const [admitted, waitMs, slotted, binding, tight, redisNow, recordedAfter] = await r.cdRateLimit(keys.length, ...keys, ...args);
    if (admitted === 1) {
      const admittedAt = Math.max(askedAt, clockOffset.toLocal(Number(redisNow), now()));
      return { ok: true, admission: { member, limits, askedAt, admittedAt, tight: tight === 1, lateMs: Number(recordedAfter) } };
    }
    const refusedBy = limits[binding - 1]?.scope ?? limits[0]!.scope;
    return { ok: false, waitMs: Math.max(1, waitMs), slotted: slotted === 1, refusedBy };
  }

  return {
    peek: (limits, opts) => run('peek', limits, opts?.reserved ?? false),
    acquire: (limits, opts) => run('acquire', limits, opts?.reserved ?? false, opts?.lateMs),
    async release(admission) {
      if (admission.limits.length === 0) return;
      const keys: string[] = [];
      const args: (string | number)[] = [admission.member, marginMs];
      for (const limit of admission.limits) {
        keys.push(`${keyPrefix}${limit.key}:log`, `${keyPrefix}${limit.key}:pace`);
        args.push(limit.limit, limit.windowMs, limit.kind === 'rate' ? 'r' : 'p');
      }
      await r.cdRelease(keys.length, ...keys, ...args);
    },
    async coolDown(key, ms) {
      await r.cdCoolDown(1, `${keyPrefix}${key}:cool`, Math.max(1, Math.ceil(ms)));
    },
  };
}

/** How long a minimum of receive − Redis time is trusted before it is measured afresh. */
const OFFSET_WINDOW_MS = 30_000;

/**
 * Local − Redis clock, estimated as the smallest (local receive time − Redis time) over the last
 * one to two windows: the true offset plus the fastest reply's transit. A windowed minimum follows
 * clock adjustments; a single slow reply never raises it.
 */
function createClockOffset(): { toLocal(redisMs: number, receivedAt: number): number } {
  let current = Number.POSITIVE_INFINITY;
  let previous = Number.POSITIVE_INFINITY;
  let windowStart = 0;
  return {
    toLocal(redisMs, receivedAt) {
      if (receivedAt - windowStart >= OFFSET_WINDOW_MS) {
        previous = current;
        current = Number.POSITIVE_INFINITY;
        windowStart = receivedAt;
      }
      current = Math.min(current, receivedAt - redisMs);
      return redisMs + Math.min(current, previous);
    },
  };
}
