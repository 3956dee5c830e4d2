/**
 * Credentials at rest: the envelope round-trips, refuses tampering and unknown keys, reads legacy
 * plaintext, and the keyring parses the environment as documented (production needs a key).
 */
import fc from 'fast-check';
import { decryptCredentials, encryptCredentials, envelopeKeyId, isEncryptedCredentials, needsReencryption } from '../../../src/security/credentials.js';
import { createKeyring, developmentKeyEntry, keyringFromEnvironment, KeyringError } from '../../../src/security/keyring.js';
import { loadConfig } from '../../../src/config/config.js';
import { isAppError } from '../../../src/errors/index.js';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const ringA = createKeyring([{ id: 'a', key: keyA }]);
const ringBA = createKeyring([
  { id: 'b', key: keyB },
  { id: 'a', key: keyA },
]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isAppError(err) ? err.code : (err as Error).name;
  }
}

describe('encryptCredentials / decryptCredentials', () => {
  it('round-trips any JSON object, and the envelope shows neither keys nor values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })), (plain) => {
        const normalised = JSON.parse(JSON.stringify(plain)) as Record<string, unknown>;
        const envelope = encryptCredentials(normalised, ringA);
        expect(isEncryptedCredentials(envelope)).toBe(true);
        expect(decryptCredentials(envelope, ringA)).toEqual(normalised);
        expect(Object.keys(envelope)).toEqual(['$encrypted']);
      }),
      { numRuns: 100 },
    );
    const envelope = JSON.stringify(encryptCredentials({ apiKey: 'very-secret-api-key' }, ringA));
    expect(envelope).not.toContain('very-secret');
    expect(envelope).not.toContain('apiKey');
  });

  it('uses a fresh IV each time', () => {
    const one = encryptCredentials({ k: 'v' }, ringA).$encrypted;
    const two = encryptCredentials({ k: 'v' }, ringA).$encrypted;
    expect(one).not.toBe(two);
  });

  it('reads legacy plaintext as it is, and non-objects as {}', () => {
    expect(decryptCredentials({ apiKey: 'plain' }, ringA)).toEqual({ apiKey: 'plain' });
    for (const stored of [null, undefined, 'text', 42, ['a']]) expect(decryptCredentials(stored, ringA)).toEqual({});
  });

  it('refuses altered envelopes and unknown key ids with CREDENTIALS_UNREADABLE, never returning garbage', () => {
    const { $encrypted } = encryptCredentials({ apiKey: 'k' }, ringA);
    const [v, id, packed] = $encrypted.split(':') as [string, string, string];
    fc.assert(
      fc.property(fc.nat({ max: packed.length - 1 }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), (at, ch) => {
        fc.pre(packed[at] !== ch);
        const altered = `${v}:${id}:${packed.slice(0, at)}${ch}${packed.slice(at + 1)}`;
        // A change in the last character's padding bits may decode to the same bytes; all else must fail.
        const same = Buffer.from(altered.split(':')[2]!, 'base64url').equals(Buffer.from(packed, 'base64url'));
        if (!same) expect(codeOf(() => decryptCredentials({ $encrypted: altered }, ringA))).toBe('CREDENTIALS_UNREADABLE');
      }),
      { numRuns: 60 },
    );
    expect(codeOf(() => decryptCredentials({ $encrypted: `v1:zz:${packed}` }, ringA))).toBe('CREDENTIALS_UNREADABLE');
    expect(codeOf(() => decryptCredentials({ $encrypted: 'v9:a:xx' }, ringA))).toBe('CREDENTIALS_UNREADABLE');
    expect(codeOf(() => decryptCredentials({ $encrypted: 'v1:a:short' }, ringA))).toBe('CREDENTIALS_UNREADABLE');
    // The same id with a different key: authentication fails.
    expect(codeOf(() => decryptCredentials({ $encrypted }, createKeyring([{ id: 'a', key: keyB }])))).toBe('CREDENTIALS_UNREADABLE');
  });

  it('rotation: old envelopes stay readable with the old key listed, and need re-encryption', () => {
    const old = encryptCredentials({ apiKey: 'k' }, ringA);
    expect(decryptCredentials(old, ringBA)).toEqual({ apiKey: 'k' });
    expect(needsReencryption(old, ringBA)).toBe(true);
    const fresh = encryptCredentials({ apiKey: 'k' }, ringBA);
    expect(envelopeKeyId(fresh)).toBe('b');
    expect(needsReencryption(fresh, ringBA)).toBe(false);
    expect(needsReencryption({ apiKey: 'plain' }, ringBA)).toBe(true);
    expect(needsReencryption({}, ringBA)).toBe(false);
  });
});

describe('keyringFromEnvironment', () => {
  const base64 = keyA.toString('base64');

  it('production refuses to start without CREDENTIALS_KEY, or with the development key', () => {
    expect(() => keyringFromEnvironment({ production: true })).toThrow(KeyringError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CREDENTIALS_KEY/);
    const devKey = developmentKeyEntry().split(':')[1]!;
    expect(() => keyringFromEnvironment({ current: devKey, production: true })).toThrow(/development key/);
  });

  it('elsewhere falls back to the development key', () => {
    const ring = keyringFromEnvironment({ production: false });
    expect(ring.isDevelopmentKey).toBe(true);
    expect(ring.currentId).toBe('dev');
  });

  it('reads an id prefix, derives an id otherwise, and keeps previous keys for decryption', () => {
    expect(keyringFromEnvironment({ current: `2026-11:${base64}`, production: true }).currentId).toBe('2026-11');
    const derived = keyringFromEnvironment({ current: base64, production: true });
    expect(derived.currentId).toMatch(/^k[0-9a-f]{8}$/);
    expect(keyringFromEnvironment({ current: base64, production: true }).currentId).toBe(derived.currentId);
    const ring = keyringFromEnvironment({ current: `new:${keyB.toString('base64')}`, previous: ` old:${base64} ,`, production: true });
    expect(ring.ids).toEqual(['new', 'old']);
  });

  it.each([
    ['too short', Buffer.alloc(16).toString('base64')],
    ['not base64', 'not base64 at all!'],
    ['a bad id', `bad id:${base64}`],
  ])('refuses a key that is %s', (_label, value) => {
    expect(() => keyringFromEnvironment({ current: value, production: false })).toThrow(KeyringError);
  });

  it('never serialises key material', () => {
    const ring = keyringFromEnvironment({ current: `k1:${base64}`, production: true });
    const text = JSON.stringify({ config: { credentialsKeyring: ring } });
    expect(text).not.toContain(base64);
    expect(text).toContain('k1');
  });
});
