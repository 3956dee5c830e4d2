/**
 * Phone number normalisation for campaign recipients.
 *
 * We accept what people type — spaces, dashes, dots, parentheses, and `00` instead of `+` for the
 * international prefix — but the number must carry its country code. There is deliberately no
 * default country: a campaign service has no single "home" region, and guessing one would silently
 * send to the wrong country. Validation uses libphonenumber-js's full ("max") metadata, which checks
 * the national number patterns, not only the length (about 10 µs per number; 50,000 numbers ≈ 0.5 s).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type NormaliseResult = { ok: true; e164: string } | { ok: false; reason: 'empty' | 'no_country_code' | 'invalid' };

/** Characters people use to group digits; removed before parsing. */
const SEPARATORS = /[\s\-.()/\u00a0]/g;

/**
 * Turns a typed phone number into E.164 (`+8613800001111`), or says why it cannot.
 * A leading `00` is read as the international prefix `+`.
 */
export function normalisePhoneNumber(raw: string): NormaliseResult {
  let text = raw.replace(SEPARATORS, '');
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!text.startsWith('+')) return { ok: false, reason: 'no_country_code' };
  // Only digits may follow the '+'; libphonenumber would otherwise quietly drop letters ("+1 800 FLOWERS").
  if (!/^\+\d+$/.test(text)) return { ok: false, reason: 'invalid' };
  const parsed = parsePhoneNumberFromString(text);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid' };
  return { ok: true, e164: parsed.number };
}

/** A sentence for the API answer explaining a failed normalisation. */
export function describeNumberProblem(reason: Exclude<NormaliseResult, { ok: true }>['reason']): string {
  switch (reason) {
    case 'empty':
      return 'is empty';
    case 'no_country_code':
      return 'needs an international prefix (+ or 00 followed by the country code)';
    case 'invalid':
      return 'is not a valid phone number';
  }
}
