/**
 * Reading the time of a webhook event. Yeastar sends Unix seconds (send_time, receive_time);
 * Connectly's `timestamp` format is UNVERIFIED (ISO 8601 or epoch), so both are accepted.
 * Pure: the current time is an argument.
 */

/**
 * The latest instant we read (9999-12-31T23:59:59.999Z): beyond it JavaScript dates become invalid
 * or Postgres refuses them, and no provider stamps an event that late.
 */
const MAX_EVENT_MS = 253_402_300_799_999;

/** Events claiming to be from further in the future than this are clamped to now (clock skew). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * The instant `value` names, or undefined. Numbers (and digit strings) below 1e12 are seconds,
 * above are milliseconds; other strings must parse as dates. A date-time without a zone is read
 * as UTC (UNVERIFIED: no provider page shows one).
 */
export function parseEventTime(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    ms = value < 1e12 ? value * 1000 : value;
  } else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return parseEventTime(Number(text));
    const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
    const parsed = Date.parse(zoned);
    ms = Number.isNaN(parsed) ? undefined : parsed;
  }
  // A signed but absurd value (1e300, a negative epoch) is no time at all, not a crash later on.
  return ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > MAX_EVENT_MS ? undefined : new Date(ms);
}

/** The event's time, never later than `now` (+ skew), falling back to `now`. */
export function eventTimeOr(now: Date, ...candidates: unknown[]): Date {
  for (const c of candidates) {
    const at = parseEventTime(c);
    if (at) return at.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS ? now : at;
  }
  return now;
}
