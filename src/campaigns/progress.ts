/**
 * The arithmetic of campaign progress: send rate, time left, and why recipients ended unsent.
 * Pure: the caller reads the ledger and passes the time in.
 *
 * Terminology
 * - window: the recent span the rate is measured over (RATE_WINDOW_SECONDS), ending now.
 * - remaining: recipients that may still go out — pending, sending or retrying.
 * - reasons: for the recipients that ended skipped, failed or expired, how many ended for each
 *   reason (failed ones by the provider's error code, which says more than "provider_permanent").
 */

/** Long enough to smooth the bursts of a rate limiter's fixed window, short enough to follow a pause. */
export const RATE_WINDOW_SECONDS = 30;

/** Statuses whose recipients may still be sent. */
export const REMAINING_STATUSES = ['pending', 'sending', 'retrying'] as const;

/** Statuses whose recipients ended without a send, which `reasons` breaks down. */
export const REASON_STATUSES = ['skipped', 'failed', 'expired'] as const;
export type ReasonStatus = (typeof REASON_STATUSES)[number];

export type Reasons = Record<ReasonStatus, Record<string, number>>;

export interface RateInput {
  /** Recipients whose `sent_at` falls within the window ending at `now`. */
  sentInWindow: number;
  windowSeconds: number;
  /** When the campaign started sending; null if it has not. */
  startedAt: Date | null;
  now: Date;
}

/**
 * Sends per second over the window, to two decimals.
 *
 * A campaign that started less than a window ago is measured over the time since it started —
 * 300 sends in its first 10 s is 30/s, not 10/s. The span is at least one second, so a clock a
 * little behind the database's (started_at is written by Postgres) cannot inflate the rate.
 */
export function sendRate(input: RateInput): number {
  if (input.startedAt === null || input.sentInWindow <= 0) return 0;
  const sinceStart = (input.now.getTime() - input.startedAt.getTime()) / 1000;
  const span = Math.max(1, Math.min(input.windowSeconds, sinceStart));
  return Math.round((input.sentInWindow / span) * 100) / 100;
}

/**
 * Seconds until the remaining recipients are sent at the current rate, rounded up; null when
 * nothing is left, nothing is being sent, or the campaign is not running — a campaign paused a
 * moment ago still shows a rate for up to a window, but it will not finish at that rate.
 */
export function etaSeconds(input: { remaining: number; ratePerSecond: number; running: boolean }): number | null {
  if (!input.running || input.remaining <= 0 || input.ratePerSecond <= 0) return null;
  return Math.ceil(input.remaining / input.ratePerSecond);
}

/** How many recipients may still be sent, from the counts per status. */
export function remainingCount(counts: Readonly<Record<string, number>>): number {
  return REMAINING_STATUSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

/** Reasons with every reason status present (an empty object where none ended so). */
export function groupReasons(rows: readonly { status: ReasonStatus; reason: string; count: number }[]): Reasons {
  const reasons: Reasons = { skipped: {}, failed: {}, expired: {} };
  for (const row of rows) {
    const byReason = reasons[row.status];
    byReason[row.reason] = (byReason[row.reason] ?? 0) + row.count;
  }
  return reasons;
}
