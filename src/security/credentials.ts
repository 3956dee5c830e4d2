/**
 * Provider credentials at rest: AES-256-GCM under the keyring's current key (keyring.ts).
 *
 * The `channels.credentials` JSON column holds either
 * - an envelope `{"$encrypted": "v1:<key id>:<base64url(iv ‖ tag ‖ ciphertext)>"}`, written by
 *   everything since this module exists, or
 * - a plain object (rows written before it, or inserted by hand): read as plaintext, so a
 *   deployment keeps working during the transition. reencryptChannelCredentials turns such rows
 *   (and rows under a retired key) into envelopes under the current key.
 *
 * GCM authenticates: a ciphertext that was altered, truncated or written under another key fails
 * to decrypt instead of yielding garbage. The additional data binds the envelope to its purpose
 * and version, so an envelope from another use of the same key is refused too. The IV is 12
 * random bytes per encryption; with one encryption per channel write, a collision is out of reach.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors/index.js';
import type { Keyring } from './keyring.js';

export const ENVELOPE_FIELD = '$encrypted';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('campaign-dispatch/channel-credentials/v1', 'utf8');

export interface CredentialsEnvelope {
  [ENVELOPE_FIELD]: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `stored` is an envelope (rather than legacy plaintext). */
export function isEncryptedCredentials(stored: unknown): stored is CredentialsEnvelope {
  return isRecord(stored) && typeof stored[ENVELOPE_FIELD] === 'string';
}

/** The key id an envelope was written with, or undefined for plaintext or a malformed envelope. */
export function envelopeKeyId(stored: unknown): string | undefined {
  if (!isEncryptedCredentials(stored)) return undefined;
  const [version, keyId] = stored[ENVELOPE_FIELD].split(':');
  return version === VERSION ? keyId : undefined;
}

/** Encrypts `plain` under the keyring's current key. */
export function encryptCredentials(plain: Record<string, unknown>, keyring: Keyring): CredentialsEnvelope {
  const key = keyring.key(keyring.currentId);
  if (!key) throw new Error(`the keyring has no key ${keyring.currentId}`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
  const packed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  return { [ENVELOPE_FIELD]: `${VERSION}:${keyring.currentId}:${packed}` };
}

function unreadable(reason: string): AppError {
  return new AppError('CREDENTIALS_UNREADABLE', `the channel's stored credentials cannot be decrypted: ${reason}`);
}

/**
 * The plaintext credentials of a stored value: an envelope is decrypted, a plain object is
 * returned as it is (legacy rows), anything else (null, an array) is `{}`.
 * @throws AppError CREDENTIALS_UNREADABLE (500) for an envelope under a key the keyring lacks
 *   (CREDENTIALS_KEY / CREDENTIALS_PREVIOUS_KEYS), or one that was altered. The message names the
 *   key id, never key material or credentials.
 */
export function decryptCredentials(stored: unknown, keyring: Keyring): Record<string, unknown> {
  if (!isRecord(stored)) return {};
  if (!isEncryptedCredentials(stored)) return stored;
  const [version, keyId, packed, ...rest] = stored[ENVELOPE_FIELD].split(':');
  if (version !== VERSION || keyId === undefined || packed === undefined || rest.length > 0) throw unreadable('unknown envelope format');
  const key = keyring.key(keyId);
  if (!key) throw unreadable(`key id "${keyId}" is not configured (add it to CREDENTIALS_PREVIOUS_KEYS)`);
  const bytes = Buffer.from(packed, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw unreadable('the envelope is truncated');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    const plain: unknown = JSON.parse(text);
    if (!isRecord(plain)) throw new Error('not an object');
    return plain;
  } catch {
    // Deliberately no cause: a crypto error says nothing useful and we keep secrets out of logs.
    throw unreadable(`authentication failed under key id "${keyId}" (wrong key, or the value was altered)`);
  }
}

/** True when a stored value should be rewritten: plaintext, or an envelope under a non-current key. */
export function needsReencryption(stored: unknown, keyring: Keyring): boolean {
  if (!isEncryptedCredentials(stored)) return isRecord(stored) && Object.keys(stored).length > 0;
  return envelopeKeyId(stored) !== keyring.currentId;
}
