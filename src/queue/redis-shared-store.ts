/**
 * The SharedStore on Redis: values with a TTL, and a fleet-wide mutex.
 *
 * The lock is the classic single-instance Redis lock: `SET key token NX PX ttl` to take it, and a
 * Lua compare-and-delete to release it, so a holder whose lock expired (it ran longer than `ttlMs`)
 * can never release the lock someone else now holds. Waiters poll; the work done under these locks
 * (fetching a provider token) is rare and short, so polling beats a pub/sub wake-up in simplicity.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedStore } from '../providers/types.js';

const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

const DEFAULT_WAIT_MS = 10_000;
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 200;

/** Raised when a lock could not be taken within `waitMs`. */
export class LockTimeoutError extends Error {
  readonly code = 'LOCK_TIMEOUT';
  constructor(readonly key: string, readonly waitMs: number) {
    super(`could not take the lock "${key}" within ${waitMs} ms (another process holds it)`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * A SharedStore whose keys all live under `keyPrefix` (e.g. `cd:shared:`), on the given connection.
 * The connection is the caller's: the store never closes it.
 */
export function createRedisSharedStore(redis: Redis, keyPrefix: string): SharedStore {
  const k = (key: string): string => keyPrefix + key;

  async function release(key: string, token: string): Promise<void> {
    await redis.eval(RELEASE_SCRIPT, 1, k(key), token);
  }

  return {
    async get(key) {
      return redis.get(k(key));
    },
    async set(key, value, ttlMs) {
      await redis.set(k(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)));
    },
    async withLock(key, ttlMs, fn, waitMs = DEFAULT_WAIT_MS) {
      const token = randomBytes(16).toString('hex');
      const lockKey = k(`lock:${key}`);
      const deadline = Date.now() + waitMs;
      let pause = POLL_MIN_MS;
      for (;;) {
        const taken = await redis.set(lockKey, token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
        if (taken === 'OK') break;
        const left = deadline - Date.now();
        if (left <= 0) throw new LockTimeoutError(key, waitMs);
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
        pause = Math.min(POLL_MAX_MS, pause * 2);
      }
      try {
        return await fn();
      } finally {
        await release(`lock:${key}`, token);
      }
    },
  };
}
