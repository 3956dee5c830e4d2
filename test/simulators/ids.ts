/** Id generators for simulator answers: cheap (no crypto per request) and unique per process. */
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encode(value: bigint, length: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[Number(v % 32n)]! + out;
    v /= 32n;
  }
  return out;
}

/** ULID-shaped ids (26 Crockford base32 characters: 10 of time, 16 of a random-seeded counter). */
export function createUlidLike(): () => string {
  let counter = BigInt(`0x${randomBytes(9).toString('hex')}`) & ((1n << 70n) - 1n);
  return () => {
    counter = (counter + 1n) & ((1n << 80n) - 1n);
    return encode(BigInt(Date.now()), 10) + encode(counter, 16);
  };
}

/** 32 hex characters, like Yeastar's file ids. */
export function hexId(): string {
  return randomBytes(16).toString('hex');
}

/** An opaque 32-character token, like Yeastar's access tokens. */
export function tokenString(): string {
  return randomBytes(24).toString('base64url').slice(0, 32);
}
