/**
 * Checks the API key of each request, with a small in-memory cache of successful lookups so the
 * hot path does not query Postgres per request.
 *
 * The price of the cache: a revoked key keeps working in a process that looked it up within the
 * last `ttlMs` (default 5 s) — revocation takes effect within that time, not instantly. Unknown
 * keys are not cached (an attacker could otherwise fill the cache); each costs one indexed lookup.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../observability/logger.js';
import { findApiKeyByKey, hashApiKey, touchApiKey, type ApiKeyRecord } from './api-keys.js';

export const DEFAULT_AUTH_CACHE_TTL_MS = 5_000;
/** Bounds memory if many distinct valid keys are used; the oldest entry is evicted first. */
const MAX_CACHED_KEYS = 10_000;

export interface Authenticator {
  /** The key's record, or null for a missing, unknown or revoked key. */
  authenticate(key: string | undefined): Promise<ApiKeyRecord | null>;
  /** Forgets every cached lookup (e.g. after a revocation in this process). */
  clear(): void;
}

export interface AuthenticatorDeps {
  prisma: PrismaClient;
  log: Logger;
  now?: () => Date;
  ttlMs?: number;
}

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const ttlMs = deps.ttlMs ?? DEFAULT_AUTH_CACHE_TTL_MS;
  const now = deps.now ?? (() => new Date());
  // Keyed by the key's hash, so the cache never holds key material.
  const cache = new Map<string, { record: ApiKeyRecord; expiresAt: number }>();

  return {
    async authenticate(key) {
      if (!key) return null;
      const hash = hashApiKey(key);
      const at = now();
      const hit = cache.get(hash);
      if (hit && hit.expiresAt > at.getTime()) return hit.record;
      cache.delete(hash);
      const record = await findApiKeyByKey(deps.prisma, key);
      if (!record) return null;
      if (cache.size >= MAX_CACHED_KEYS) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(hash, { record, expiresAt: at.getTime() + ttlMs });
      // last_used_at is therefore accurate to the cache period, which is all a listing needs.
      await touchApiKey(deps.prisma, record.id, at).catch((err: unknown) => deps.log.warn({ err, keyId: record.id }, 'could not record key use'));
      return record;
    },
    clear() {
      cache.clear();
    },
  };
}
