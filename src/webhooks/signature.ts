/**
 * Webhook signatures. Both providers sign the raw request body the same way:
 * Base64(HMAC-SHA256(raw body, secret)) — Yeastar in `X-Signature`, Connectly in
 * `x-connectly-hmac-sha256` (notes/providers.md). The body must be the exact bytes received:
 * re-serialising parsed JSON would change whitespace and key order and break the signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderName } from '../providers/types.js';

/** The header each provider puts its signature in (lower case, as Node presents headers). */
export const SIGNATURE_HEADER: Readonly<Record<ProviderName, string>> = {
  yeastar: 'x-signature',
  connectly: 'x-connectly-hmac-sha256',
};

const DIGEST_BYTES = 32;

/** Base64(HMAC-SHA256(body, secret)): what a provider sends for `body`. */
export function signBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * True when `signature` (the header's value) is the signature of `body` under `secret`.
 * Constant-time over the digest: the header is decoded and compared with `timingSafeEqual`, and a
 * value that does not decode to exactly 32 bytes is refused before any comparison (timingSafeEqual
 * throws on unequal lengths). Missing, repeated or empty headers are refused.
 */
export function verifySignature(body: Buffer, signature: string | string[] | undefined, secret: string): boolean {
  if (typeof signature !== 'string' || secret === '') return false;
  const value = signature.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const given = Buffer.from(value, 'base64');
  if (given.length !== DIGEST_BYTES) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(given, expected);
}

/** The first of `candidates` whose secret signed `body`, or undefined. */
export function findSigner<T extends { secret: string }>(
  body: Buffer,
  signature: string | string[] | undefined,
  candidates: readonly T[],
): T | undefined {
  return candidates.find((c) => verifySignature(body, signature, c.secret));
}
