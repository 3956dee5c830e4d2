/**
 * Waiting for Postgres and Redis at start, shared by the worker (workers/main.ts) and the API
 * (src/api/main.ts). A process started while a dependency is down used to exit; under an
 * orchestrator that is a crash loop whose restarts back off on the orchestrator's terms and whose
 * log is a column of stack traces. Instead the process retries its own start with a capped
 * exponential delay, says at warn level what failed and when it tries next, and starts normally once
 * the dependency answers. Liveness stays green meanwhile (the process is fine; its dependency is
 * not) and readiness red.
 *
 * Which failures are worth waiting for (`dependencyUnreachable`): a refused, reset or timed-out
 * connection, an unknown host (a container not up yet), Postgres starting up or shutting down, too
 * many connections. Not: a wrong password or a database that does not exist — no amount of waiting
 * fixes configuration, so those still end the process with the advice of src/db/unreachable.ts.
 *
 * The clock, the sleep and the randomness are passed in, so the schedule is unit-tested without
 * timers (test/unit/health/retry-until-ready.test.ts).
 */
import type { Logger } from '../observability/logger.js';
import { explainUnreachable } from '../db/unreachable.js';

/** First delay after a failed try. */
export const STARTUP_RETRY_BASE_MS = 500;
/** No delay between tries exceeds this: a dependency back is noticed within it. */
export const STARTUP_RETRY_CAP_MS = 15_000;

export interface RetryUntilReadyOptions {
  /** What is waited for, for the log (e.g. "Postgres and Redis"). */
  what: string;
  log: Logger;
  /** Whether a failed try is worth another; a false one is thrown as is. Default `dependencyUnreachable`. */
  retryable?: (err: unknown) => boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Aborting it (SIGTERM) ends the wait: the pending sleep ends and the call rejects with the abort reason. */
  signal?: AbortSignal;
  /** Resolves after `ms`, or rejects early when `signal` aborts. Default a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Milliseconds now, for the "waited" figure in the log. Default Date.now. */
  now?: () => number;
  /** A number in [0, 1): the jitter of each delay. Default Math.random. */
  random?: () => number;
  /** Called after each failed try, before its delay (e.g. to say why in /readyz). */
  onRetry?: (failure: StartupRetry) => void;
}

export interface StartupRetry {
  /** The try that failed, from 1. */
  attempt: number;
  delayMs: number;
  err: unknown;
}

/**
 * The delay after failed try `attempt` (from 1): base × 2^(attempt−1), capped, then spread over
 * 80–120 % so processes started together (a deployment after an outage) do not try in lockstep.
 */
export function startupRetryDelayMs(attempt: number, random: number, baseMs = STARTUP_RETRY_BASE_MS, capMs = STARTUP_RETRY_CAP_MS): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(exponential * (0.8 + 0.4 * random));
}

/**
 * Runs `attempt` until it resolves, sleeping between failed tries. A try that fails in a way
 * `retryable` rejects is thrown at once. When `signal` aborts, the wait ends: a try in flight is
 * let finish — one that succeeds is returned (the caller, who aborted, closes what it opened), one
 * that fails rejects with the abort reason.
 */
export async function retryUntilReady<T>(attempt: (n: number) => Promise<T>, options: RetryUntilReadyOptions): Promise<T> {
  const retryable = options.retryable ?? dependencyUnreachable;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const started = now();
  for (let n = 1; ; n++) {
    options.signal?.throwIfAborted();
    try {
      const value = await attempt(n);
      if (n > 1) options.log.info({ attempts: n, waitedMs: now() - started }, `${options.what} reachable; starting`);
      return value;
    } catch (err) {
      if (!retryable(err)) throw err;
      options.signal?.throwIfAborted();
      const delayMs = startupRetryDelayMs(n, random(), options.baseDelayMs, options.maxDelayMs);
      options.log.warn(
        { attempt: n, nextDelayMs: delayMs, waitedMs: now() - started, reason: failureSummary(err) },
        `${options.what} not reachable; trying again in ${delayMs} ms`,
      );
      options.onRetry?.({ attempt: n, delayMs, err });
      await sleep(delayMs, options.signal);
    }
  }
}

/** Connection-level error codes a restart of the dependency (or its container coming up) cures. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // Postgres: connection exceptions (class 08), starting up / shutting down, too many connections.
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // Prisma's "can't reach database server".
  'P1001',
]);

/** Configuration errors: waiting does not help. */
const FATAL_CODES = new Set(['28P01', '28000', '3D000']);

/** A failure to reach Postgres or Redis that may go away by itself (see the module comment). */
export function dependencyUnreachable(err: unknown): boolean {
  const codes = codesOf(err);
  if (codes.some((c) => FATAL_CODES.has(c))) return false;
  if (codes.some((c) => TRANSIENT_CODES.has(c))) return true;
  // No code: node-postgres' "Connection terminated (due to connection timeout)", ioredis' "Reached
  // the max retries per request limit" re-labelled as Redis's — the wording explainUnreachable knows.
  return explainUnreachable(err) !== undefined;
}

/** The error's code, its `errors[]`' codes (AggregateError: ::1 and 127.0.0.1) and its cause's. */
function codesOf(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 3) return [];
  const e = err as { code?: unknown; errors?: unknown; cause?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => codesOf(x, depth + 1)) : [];
  return [...own, ...nested, ...codesOf(e.cause, depth + 1)];
}

/**
 * One line for the log and for /readyz: which dependency (as src/db/unreachable.ts tells them
 * apart) and the code when there is one — a driver's message may name a host or a user, and
 * /readyz is public — else the message's first line.
 */
export function failureSummary(err: unknown): string {
  const which = /^Cannot reach (Postgres|Redis)/.exec(explainUnreachable(err) ?? '')?.[1];
  const code = codesOf(err)[0];
  const what = code ?? (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
  return which ? `${which}: ${what}` : what;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
