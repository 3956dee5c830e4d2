/**
 * One Yeastar access token for the whole worker fleet.
 *
 * The PBX allows at most 8 live access tokens per API app, so tokens are never fetched per process
 * or per job: the current pair lives in the SharedStore under a key derived from baseUrl + client
 * id, every process keeps a memory copy, and only the process holding the store's lock fetches a new
 * pair — re-reading the store first, because another process may just have done it.
 *
 * Refresh happens ahead of expiry (by default when less than 5 minutes are left), with
 * refresh_token; if that fails, get_token. A token the PBX rejects as expired is replaced via
 * `renew(rejected)`, which swaps it only if the store still holds that same token.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../observability/logger.js';
import { isRecord } from '../answer-utils.js';
import type { ProviderHttp } from '../http-client.js';
import { classifyHttpStatus } from '../http-status.js';
import { ProviderError } from '../provider-error.js';
import type { SharedStore } from '../types.js';
import { classifyYeastarFailure } from './errors.js';
import { parseTokenAnswer, type TokenPair } from './response-parser.js';

export interface YeastarTokenManager {
  /** A currently valid access token. */
  getToken(): Promise<string>;
  /** The PBX said `rejected` is expired: get a different valid token (fetching one if needed). */
  renew(rejected: string): Promise<string>;
}

export interface YeastarTokenManagerDeps {
  account: { baseUrl: string; clientId: string; clientSecret: string };
  http: ProviderHttp;
  store: SharedStore;
  log: Logger;
  clock?: () => number;
  /** Refresh when less than this is left (capped at a fifth of the token's lifetime). */
  refreshAheadMs?: number;
  lockTtlMs?: number;
  lockWaitMs?: number;
}

interface StoredToken extends TokenPair {
  issuedAt: number;
}

/** The store key of an account's token pair; the lock key is this plus ':lock'. */
export function yeastarTokenKey(baseUrl: string, clientId: string): string {
  const digest = createHash('sha256').update(`${baseUrl}\n${clientId}`).digest('hex').slice(0, 32);
  return `yeastar:token:${digest}`;
}

/** Builds the fleet-wide token manager of one Yeastar API app. */
export function createYeastarTokenManager(deps: YeastarTokenManagerDeps): YeastarTokenManager {
  const { account, http, store } = deps;
  const log = deps.log.child({ component: 'token' });
  const clock = deps.clock ?? Date.now;
  const refreshAheadMs = deps.refreshAheadMs ?? 5 * 60_000;
  const key = yeastarTokenKey(account.baseUrl, account.clientId);
  const lockKey = `${key}:lock`;
  let current: StoredToken | undefined;
  // One fetch in flight per process: hundreds of concurrent sends wait on the same promise.
  let inflight: Promise<string> | undefined;

  function fresh(token: StoredToken | undefined, rejected: string | undefined): token is StoredToken {
    if (!token || token.accessToken === rejected) return false;
    const ahead = Math.min(refreshAheadMs, (token.accessExpiresAt - token.issuedAt) / 5);
    return token.accessExpiresAt - clock() > ahead;
  }

  async function readStore(): Promise<StoredToken | undefined> {
    const raw = await store.get(key);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as StoredToken;
    } catch {
      return undefined;
    }
  }

  async function post(path: string, body: unknown): Promise<StoredToken> {
    const now = clock();
    const answer = await http.postJson(`${account.baseUrl}/${path}`, body);
    const pair = parseTokenAnswer(answer.body, now);
    if (pair) return { ...pair, issuedAt: now };
    if (classifyHttpStatus(answer.status) || !isRecord(answer.body)) throw classifyYeastarFailure(answer, now);
    // An envelope with a non-zero errcode (-1 FAILURE: wrong credentials, expired refresh token).
    throw new ProviderError({
      provider: 'yeastar',
      errorClass: 'auth',
      providerCode: String(answer.body.errcode),
      providerMessage: `${path}: ${typeof answer.body.errmsg === 'string' ? answer.body.errmsg : 'refused'}`,
      httpStatus: answer.status,
    });
  }

  async function fetchPair(previous: StoredToken | undefined): Promise<StoredToken> {
    if (previous && previous.refreshExpiresAt - clock() > 10_000) {
      try {
        const pair = await post('refresh_token', { refresh_token: previous.refreshToken });
        log.info('yeastar access token refreshed');
        return pair;
      } catch (err) {
        log.warn({ code: (err as ProviderError).providerCode }, 'yeastar refresh_token failed; requesting a new token');
      }
    }
    // UNVERIFIED: 5 failed logins in a row block our IP, so an auth failure here is never retried
    // in a loop — it surfaces as class 'auth' and the channel stops.
    const pair = await post('get_token', { username: account.clientId, password: account.clientSecret });
    log.info('yeastar access token obtained');
    return pair;
  }

  async function obtain(rejected: string | undefined): Promise<string> {
    const stored = await readStore();
    if (fresh(stored, rejected)) {
      current = stored;
      return stored.accessToken;
    }
    return store.withLock(
      lockKey,
      deps.lockTtlMs ?? 15_000,
      async () => {
        const again = await readStore();
        if (fresh(again, rejected)) {
          current = again;
          return again.accessToken;
        }
        const pair = await fetchPair(again ?? current);
        // Keep the pair as long as its refresh token lives, so the next refresh can use it.
        await store.set(key, JSON.stringify(pair), Math.max(1_000, pair.refreshExpiresAt - clock()));
        current = pair;
        return pair.accessToken;
      },
      deps.lockWaitMs ?? 20_000,
    );
  }

  function flight(rejected: string | undefined): Promise<string> {
    inflight ??= obtain(rejected).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    async getToken() {
      if (fresh(current, undefined)) return current.accessToken;
      return flight(undefined);
    },
    async renew(rejected) {
      if (fresh(current, rejected)) return current.accessToken;
      const token = await flight(rejected);
      // The flight we joined may have started before the rejection and returned the same token.
      return token === rejected ? flight(rejected) : token;
    },
  };
}
