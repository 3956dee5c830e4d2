/**
 * The customer's number of an inbound message, as E.164 — the form the ledger, the windows and
 * the suppressions are keyed by. Providers may omit the `+` (UNVERIFIED for both) or add spaces.
 * Pure.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** E.164 with at least 7 digits: shorter ones are PBX extensions or short codes, not customers. */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * `raw` as E.164, or undefined when it cannot be a phone number (an extension, a page id).
 * A number libphonenumber knows is formatted by it; an unknown but well-formed one (test ranges,
 * new allocations) is kept as written, since refusing it would drop a real opt-out.
 */
export function toE164(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  let text = String(raw).replace(/[\s\-.()\u00a0]/g, '');
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  if (/^\d+$/.test(text)) text = `+${text}`;
  if (!E164.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text);
  return parsed && parsed.isValid() ? parsed.number : text;
}
