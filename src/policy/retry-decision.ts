/**
 * Whether a recipient whose send failed with a retryable error gets another attempt, under its
 * campaign's limits. Pure: the time is an argument.
 *
 * - `max_attempts` counts attempts that were the recipient's own failures. Attempts that failed
 *   for reasons outside the recipient — a 429 / business-limit answer, a failed circuit-breaker
 *   probe — are "free": they are still in the ledger's `attempts` (requests really went out) but do
 *   not use up the budget; `max_retry_seconds` bounds those instead.
 * - `max_retry_seconds` is measured from the recipient's first attempt. A retry whose delay would
 *   land past it is not scheduled: the recipient fails now, rather than after a wait that could not
 *   end in a send.
 */
import { retryDelayMs } from './backoff.js';

export interface RetryLimits {
  maxAttempts: number;
  maxRetrySeconds: number;
}

export interface RetryDecisionInput {
  /** Attempts recorded in the ledger, including the one that just failed. */
  attempts: number;
  /** How many of them did not count against max_attempts. */
  freeAttempts: number;
  /** When the recipient's first attempt started (ms since epoch). */
  firstAttemptAt: number;
  /** The provider's Retry-After, when it gave one. */
  retryAfterMs?: number;
  /** This failure does not count against max_attempts (rate limited, failed probe). */
  free: boolean;
  limits: RetryLimits;
  now: number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; freeAttempts: number }
  | { retry: false; reason: 'retries_exhausted' | 'retry_time_exceeded' };

/** Decides the next step after a retryable failure. @param random - uniform [0, 1), for jitter. */
export function decideRetry(input: RetryDecisionInput, random: () => number = Math.random): RetryDecision {
  const freeAttempts = input.freeAttempts + (input.free ? 1 : 0);
  const counted = Math.max(0, input.attempts - freeAttempts);
  if (!input.free && counted >= input.limits.maxAttempts) return { retry: false, reason: 'retries_exhausted' };
  const delayMs = retryDelayMs({ attemptsMade: Math.max(1, counted), retryAfterMs: input.retryAfterMs }, random);
  const deadline = input.firstAttemptAt + input.limits.maxRetrySeconds * 1000;
  if (input.now + delayMs > deadline) return { retry: false, reason: 'retry_time_exceeded' };
  return { retry: true, delayMs, freeAttempts };
}
