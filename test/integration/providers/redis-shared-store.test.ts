import { createRedisSharedStore, LockTimeoutError } from '../../../src/queue/redis-shared-store.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await createTestRedis('store');
});
afterAll(async () => {
  await redis.close();
});

describe('redis shared store', () => {
  it('sets values with a TTL under its prefix', async () => {
    const store = createRedisSharedStore(redis.redis, `${redis.prefix}:`);
    await store.set('a', 'one', 10_000);
    expect(await store.get('a')).toBe('one');
    expect(await store.get('missing')).toBeNull();
    const pttl = await redis.redis.pttl(`${redis.prefix}:a`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(10_000);
  });

  it('runs lock holders one at a time and releases the lock afterwards', async () => {
    const store = createRedisSharedStore(redis.redis, `${redis.prefix}:`);
    let inside = 0;
    let most = 0;
    const work = async (): Promise<number> => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inside--;
      return 1;
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => store.withLock('l', 5_000, work)));
    expect(results).toEqual([1, 1, 1, 1, 1]);
    expect(most).toBe(1);
    expect(await redis.redis.exists(`${redis.prefix}:lock:l`)).toBe(0);
  });

  it('releases the lock when the holder throws', async () => {
    const store = createRedisSharedStore(redis.redis, `${redis.prefix}:`);
    await expect(store.withLock('t', 5_000, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await redis.redis.exists(`${redis.prefix}:lock:t`)).toBe(0);
  });

  it('gives up with a clear error after waitMs', async () => {
    const store = createRedisSharedStore(redis.redis, `${redis.prefix}:`);
    let release!: () => void;
    const held = store.withLock('w', 5_000, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = store.withLock('w', 5_000, async () => 'never', 100);
    await expect(waiting).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(waiting).rejects.toThrow(/could not take the lock "w" within 100 ms/);
    release();
    await held;
  });
});
