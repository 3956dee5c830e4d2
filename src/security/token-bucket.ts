/**
 * A token bucket, as pure arithmetic: a bucket holds up to `burst` tokens, refills at
 * `ratePerSecond`, and each request takes one. The state is two numbers, so a caller can keep
 * one per key in a Map (or in Redis) and the decision can be tested without a clock.
 */

export interface BucketLimits {
  /** Tokens added per second (may be a fraction). */
  ratePerSecond: number;
  /** The most tokens the bucket holds: how many requests may arrive at once. */
  burst: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was computed, in ms. */
  at: number;
}

export type TakeResult =
  | { allowed: true; state: BucketState; remaining: number }
  | { allowed: false; state: BucketState; retryAfterMs: number };

/** A full bucket at `now`: the state of a key not seen before. */
export function fullBucket(limits: BucketLimits, now: number): BucketState {
  return { tokens: limits.burst, at: now };
}

/** The bucket's tokens at `now` (a clock that went backwards refills nothing). */
export function refill(state: BucketState, limits: BucketLimits, now: number): BucketState {
  const elapsed = Math.max(0, now - state.at);
  return { tokens: Math.min(limits.burst, state.tokens + (elapsed * limits.ratePerSecond) / 1000), at: Math.max(now, state.at) };
}

/** Takes one token if there is one; otherwise says how long until there will be. */
export function takeToken(state: BucketState | undefined, limits: BucketLimits, now: number): TakeResult {
  const current = refill(state ?? fullBucket(limits, now), limits, now);
  if (current.tokens >= 1) {
    const next = { tokens: current.tokens - 1, at: current.at };
    return { allowed: true, state: next, remaining: Math.floor(next.tokens) };
  }
  const retryAfterMs = Math.ceil(((1 - current.tokens) * 1000) / limits.ratePerSecond);
  return { allowed: false, state: current, retryAfterMs };
}

/** True when the bucket would be full again by `now`, so forgetting it changes nothing. */
export function isFull(state: BucketState, limits: BucketLimits, now: number): boolean {
  return refill(state, limits, now).tokens >= limits.burst;
}
