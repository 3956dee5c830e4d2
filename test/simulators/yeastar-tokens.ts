/**
 * The simulated PBX's token book: access tokens (default 1800 s) and refresh tokens (86400 s), at
 * most 8 live access tokens per app as the real PBX enforces.
 *
 * Our assumption (UNVERIFIED): refresh_token consumes the refresh token and revokes the access
 * token issued with it, so a refresh replaces a pair instead of adding one.
 */
import { tokenString } from './ids.js';

export const MAX_LIVE_TOKENS = 8;

export interface TokenPairAnswer {
  access_token: string;
  access_token_expire_time: number;
  refresh_token: string;
  refresh_token_expire_time: number;
}

export interface TokenBook {
  issue(now: number): TokenPairAnswer | undefined;
  refresh(refreshToken: string, now: number): TokenPairAnswer | undefined;
  isValid(accessToken: string | undefined, now: number): boolean;
  /** Expires every access token at once (refresh tokens stay usable). */
  expireAll(): void;
  live(now: number): number;
  /** The most live access tokens seen at once. */
  peak(): number;
}

export function createTokenBook(ttl: { access: number; refresh: number }): TokenBook {
  const access = new Map<string, number>(); // token → expiresAt
  const refresh = new Map<string, { expiresAt: number; access: string }>();
  let peak = 0;

  function prune(now: number): void {
    for (const [token, expiresAt] of access) if (expiresAt <= now) access.delete(token);
    for (const [token, r] of refresh) if (r.expiresAt <= now) refresh.delete(token);
  }

  function mint(now: number): TokenPairAnswer {
    const pair: TokenPairAnswer = {
      access_token: tokenString(),
      access_token_expire_time: ttl.access,
      refresh_token: tokenString(),
      refresh_token_expire_time: ttl.refresh,
    };
    access.set(pair.access_token, now + ttl.access * 1000);
    refresh.set(pair.refresh_token, { expiresAt: now + ttl.refresh * 1000, access: pair.access_token });
    peak = Math.max(peak, access.size);
    return pair;
  }

  return {
    issue(now) {
      prune(now);
      return access.size >= MAX_LIVE_TOKENS ? undefined : mint(now);
    },
    refresh(token, now) {
      prune(now);
      const r = refresh.get(token);
      if (!r) return undefined;
      refresh.delete(token);
      access.delete(r.access);
      return mint(now);
    },
    isValid(token, now) {
      if (token === undefined) return false;
      const expiresAt = access.get(token);
      return expiresAt !== undefined && expiresAt > now;
    },
    expireAll() {
      access.clear();
    },
    live(now) {
      prune(now);
      return access.size;
    },
    peak: () => peak,
  };
}
