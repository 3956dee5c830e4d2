/**
 * How progress numbers are shown to operators, by the dashboard's server-rendered pages and the
 * CLI alike (the dashboard's browser script mirrors these few lines, since it loads nothing else).
 * Pure.
 *
 * Terminology
 * - sent: recipients the provider accepted — `sent`, and those that went on to `delivered` or
 *   `read` (a receipt does not un-send a message).
 * - failed: recipients that ended `failed`; skipped, expired and cancelled are shown apart.
 */

/** Recipient statuses that count as sent. */
export const SENT_STATUSES = ['sent', 'delivered', 'read'] as const;

/** Campaign statuses a campaign never leaves. */
export const TERMINAL_STATUSES: readonly string[] = ['completed', 'cancelled', 'expired', 'failed'];

export function sentCount(counts: Readonly<Record<string, number>>): number {
  return SENT_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}

/** `12.5/s`; one decimal below 100/s, none above. Callers pass undefined for a finished campaign (its recent rate is history). */
export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined) return '–';
  return `${perSecond >= 100 ? Math.round(perSecond) : Math.round(perSecond * 10) / 10}/s`;
}

/** `45s`, `2m05s`, `1h02m`; `–` when unknown (not running, or nothing moving). */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${seconds}s`;
  const two = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${two(Math.floor((seconds % 3600) / 60))}m`;
}

/** Whole percent of `done` over `total`, 0 for an empty campaign. */
export function percent(done: number, total: number): number {
  return total <= 0 ? 0 : Math.floor((done / total) * 100);
}
