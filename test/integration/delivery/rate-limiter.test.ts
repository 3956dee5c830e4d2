/**
 * The limiter itself, on the real Redis, with several connections standing in for worker
 * processes: what it admits, measured at admission (no HTTP between, so no arrival jitter).
 */
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { createRateLimiter, DEFAULT_LIMITER_MARGIN_MS } from '../../../src/queue/rate-limiter.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { maxInSlidingWindow } from './worker-processes.js';

jest.setTimeout(60_000);

describe('sliding-window rate limiter', () => {
  let redis: TestRedis;
  const connections: Redis[] = [];

  beforeAll(async () => {
    redis = await createTestRedis('rate-limiter');
    for (let i = 0; i < 3; i++) connections.push(new Redis(redis.url));
  });
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await redis.close();
  });

  it('admits at most the limit in any sliding second across three clients, and ≥ 95 % of it', async () => {
    const limit = 50;
    const total = 300;
    const limiters = connections.map((c) => createRateLimiter(c, `${redis.prefix}:rl:`));
    const limits = [{ key: 'ch:a', limit, windowMs: 1000, kind: 'rate' as const }];
    const admitted: number[] = [];
    // 3 clients × 20 concurrent callers, each re-asking after the wait it was told (as a delayed job would).
    async function caller(limiter: (typeof limiters)[number]): Promise<void> {
      let reserved = false;
      while (admitted.length < total) {
        const answer = await limiter.acquire(limits, { reserved });
        if (answer.ok) {
          admitted.push(Date.now());
          reserved = false;
        } else {
          reserved = answer.slotted || reserved;
          await new Promise((r) => setTimeout(r, answer.waitMs));
        }
      }
    }
    await Promise.all(limiters.flatMap((l) => Array.from({ length: 20 }, () => caller(l))));
    const times = admitted.slice(0, total).sort((a, b) => a - b);
    const max = maxInSlidingWindow(times, 1000);
    const achieved = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    console.info(`limiter: max ${max} admitted in any sliding second (limit ${limit}); achieved ${((achieved / limit) * 100).toFixed(1)} % (margin ${DEFAULT_LIMITER_MARGIN_MS} ms)`);
    expect(max).toBeLessThanOrEqual(limit);
    expect(achieved).toBeGreaterThanOrEqual(0.95 * limit);
  });

  it('takes every limit of a send or none, and honours a cool-down', async () => {
    const limiter = createRateLimiter(connections[0]!, `${redis.prefix}:rl2:`);
    const pair = { key: 'pair:c:+1', limit: 1, windowMs: 60_000, kind: 'pair' as const };
    const channel = { key: 'ch:c', limit: 100, windowMs: 1000, kind: 'rate' as const };
    expect(await limiter.acquire([channel, pair])).toEqual({ ok: true });
    const refused = await limiter.acquire([channel, pair]);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.waitMs).toBeGreaterThan(59_000);
    // The refused send took no channel room: 9 more (the burst) pass at once on the channel alone.
    for (let i = 0; i < 9; i++) expect(await limiter.acquire([channel], { reserved: true })).toEqual({ ok: true });

    await limiter.coolDown('ch:d', 2_000);
    const cooled = await limiter.peek([{ key: 'ch:d', limit: 100, windowMs: 1000, kind: 'rate' }]);
    expect(cooled.ok).toBe(false);
    expect(!cooled.ok && cooled.waitMs).toBeGreaterThan(1_900);
  });
});
