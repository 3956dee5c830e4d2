/**
 * The keys that encrypt provider credentials at rest (see credentials.ts), parsed from the
 * environment by src/config/config.ts:
 *
 * - `CREDENTIALS_KEY`: the current key, base64 of exactly 32 bytes (AES-256), optionally prefixed
 *   with a key id and a colon (`2026-11:q83v…`). Everything is encrypted with it. Without an
 *   explicit id, the id is derived from the key (`k` + 8 hex digits of its SHA-256), so the same
 *   key always gets the same id.
 * - `CREDENTIALS_PREVIOUS_KEYS`: comma-separated keys in the same format, used only to decrypt
 *   rows written before a rotation. Rotation: move the current key here, set a new
 *   CREDENTIALS_KEY, restart, re-encrypt (reencryptChannelCredentials), then drop the old key.
 *
 * Without CREDENTIALS_KEY, a development key is used — its bytes are derived from a public string,
 * so it protects nothing — and production (NODE_ENV=production) refuses to start instead.
 *
 * Key material lives in a closure: a Keyring serialises (JSON, pino) as its key ids only, so
 * logging the config cannot leak a key.
 */
import { createHash } from 'node:crypto';

export const KEY_BYTES = 32;
/** The id of the development key, written into every envelope it encrypts. */
export const DEV_KEY_ID = 'dev';
const DEV_KEY = createHash('sha256').update('campaign-dispatch development credentials key (public, not a secret)').digest();
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface Keyring {
  /** The id of the key new envelopes are written with. */
  readonly currentId: string;
  /** Every id this keyring can decrypt, current first. */
  readonly ids: readonly string[];
  /** True when the current key is the public development key. */
  readonly isDevelopmentKey: boolean;
  /** The key with this id, or undefined. */
  key(id: string): Buffer | undefined;
  toJSON(): { currentId: string; ids: readonly string[] };
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

function derivedId(key: Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/** One `[id:]base64` entry. The variable name is only used in error messages (never the value). */
function parseKey(raw: string, variable: string): { id: string; key: Buffer } {
  const text = raw.trim();
  const colon = text.indexOf(':');
  const id = colon === -1 ? undefined : text.slice(0, colon);
  const encoded = colon === -1 ? text : text.slice(colon + 1);
  if (id !== undefined && !KEY_ID.test(id)) {
    throw new KeyringError(`${variable}: a key id must be 1-32 letters, digits, "_" or "-"`);
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new KeyringError(`${variable}: the key must be base64`);
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyringError(`${variable}: the key must be ${KEY_BYTES} bytes (base64 of ${KEY_BYTES} random bytes, e.g. \`openssl rand -base64 32\`), got ${key.length}`);
  }
  return { id: id ?? derivedId(key), key };
}

/** A keyring over explicit keys, the first being the current one. */
export function createKeyring(keys: readonly { id: string; key: Buffer }[], options: { isDevelopmentKey?: boolean } = {}): Keyring {
  const first = keys[0];
  if (!first) throw new KeyringError('a keyring needs at least one key');
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (key.length !== KEY_BYTES) throw new KeyringError(`key ${id} is not ${KEY_BYTES} bytes`);
    const known = byId.get(id);
    if (known && !known.equals(key)) throw new KeyringError(`two different keys have the id ${id}`);
    byId.set(id, Buffer.from(key));
  }
  const ids = Object.freeze([...byId.keys()]);
  return Object.freeze({
    currentId: first.id,
    ids,
    isDevelopmentKey: options.isDevelopmentKey ?? false,
    key: (id: string) => byId.get(id),
    toJSON: () => ({ currentId: first.id, ids }),
  });
}

/**
 * The keyring the environment describes.
 * @throws KeyringError for a malformed key, or for no CREDENTIALS_KEY when `production` is true.
 */
export function keyringFromEnvironment(env: { current?: string; previous?: string; production: boolean }): Keyring {
  const previous = (env.previous ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => parseKey(s, 'CREDENTIALS_PREVIOUS_KEYS'));
  if (env.current === undefined || env.current.trim() === '') {
    if (env.production) {
      throw new KeyringError('CREDENTIALS_KEY is required when NODE_ENV=production (base64 of 32 random bytes: `openssl rand -base64 32`)');
    }
    // Rows written with the development key stay readable after a real key is configured only if
    // "dev:<its base64>" is listed in CREDENTIALS_PREVIOUS_KEYS; the dev key is for throwaway data.
    return createKeyring([{ id: DEV_KEY_ID, key: DEV_KEY }, ...previous], { isDevelopmentKey: true });
  }
  const current = parseKey(env.current, 'CREDENTIALS_KEY');
  if (env.production && current.key.equals(DEV_KEY)) {
    throw new KeyringError('CREDENTIALS_KEY is the public development key; generate a real one for production');
  }
  return createKeyring([current, ...previous]);
}

/** The development key as `CREDENTIALS_PREVIOUS_KEYS` takes it, for migrating dev data. */
export function developmentKeyEntry(): string {
  return `${DEV_KEY_ID}:${DEV_KEY.toString('base64')}`;
}

let development: Keyring | undefined;
/**
 * The development keyring (what the config holds without CREDENTIALS_KEY outside production), for
 * readers whose callers do not pass the configured keyring yet. It opens nothing a real key wrote.
 */
export function developmentKeyring(): Keyring {
  development ??= keyringFromEnvironment({ production: false });
  return development;
}
