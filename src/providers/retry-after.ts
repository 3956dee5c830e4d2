/**
 * Reads an HTTP `Retry-After` header: either delta-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`). Returns milliseconds to wait (≥ 0), or undefined when the
 * header is absent or unreadable. `now` is passed in so the function stays pure.
 */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
