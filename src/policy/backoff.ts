/**
 * The retry policy of a send: how many attempts, and how long to wait before the next one.
 * Pure: the random source is an argument, so tests can pin it.
 *
 * Constants (why these values):
 * - SEND_ATTEMPTS = 8: with the delays below, eight attempts span roughly 2–4 minutes on average
 *   (≤ 1 + 2 + 4 + … + 64 s of ceilings ≈ 2 min) — long enough to ride out a provider restart or a
 *   short 5xx burst, short enough that a campaign does not linger on a dead number.
 * - RETRY_BASE_MS = 1 s: the ceiling of the first retry; it doubles each attempt.
 * - RETRY_CAP_MS = 5 min: no computed delay exceeds this, however many attempts.
 * - RETRY_MIN_MS = 250 ms: full jitter may draw ~0; a floor keeps a retry from hammering a provider
 *   that just failed.
 *
 * Full jitter (delay = random in [floor, min(cap, base · 2^(n-1))]) spreads the retries of many
 * recipients that failed together (one 503 burst hits hundreds of concurrent sends), so they do not
 * come back as one synchronized wave.
 *
 * When the provider said how long to wait (Retry-After), that wins: we wait exactly that long, even
 * past the cap — the provider knows its own recovery time, and coming back earlier only earns
 * another 429.
 */
export const SEND_ATTEMPTS = 8;
export const RETRY_BASE_MS = 1_000;
export const RETRY_CAP_MS = 5 * 60_000;
export const RETRY_MIN_MS = 250;

export interface RetryDelayInput {
  /** Attempts already made, counting the one that just failed (1 after the first failure). */
  attemptsMade: number;
  /** The provider's Retry-After, in ms, when it gave one. */
  retryAfterMs?: number;
}

/** The ceiling of the jittered delay after `attemptsMade` failures: base · 2^(n-1), capped. */
export function retryCeilingMs(attemptsMade: number): number {
  const n = Math.max(1, Math.floor(attemptsMade));
  // 2^(n-1) overflows to Infinity for large n; Math.min with the cap keeps it finite.
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (n - 1));
}

/**
 * The delay before the next attempt, in whole milliseconds.
 * @param random - a source of uniform numbers in [0, 1); Math.random in production.
 */
export function retryDelayMs(input: RetryDelayInput, random: () => number = Math.random): number {
  if (input.retryAfterMs !== undefined && Number.isFinite(input.retryAfterMs) && input.retryAfterMs >= 0) {
    return Math.ceil(input.retryAfterMs);
  }
  const ceiling = retryCeilingMs(input.attemptsMade);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(RETRY_MIN_MS + r * (ceiling - RETRY_MIN_MS));
}
