/**
 * The circuit breaker against the real Redis: successes are written in batches, a failure writes
 * what is buffered with itself and decides on the whole sample, and a process sees its own opening
 * at once although it reuses "closed" answers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCircuitBreaker } from '../../../src/dispatch/circuit-breaker.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { testLogger } from '../../fixtures/test-logger.js';

describe('circuit breaker state in Redis', () => {
  let r: TestRedis;
  beforeAll(async () => {
    r = await createTestRedis('cb');
  });
  afterAll(async () => {
    await r.close();
  });

  const breakerFor = (label: string, flushMs = 10_000) =>
    createCircuitBreaker({ redis: r.redis, keyPrefix: `${r.prefix}:${label}:`, log: testLogger(), flushMs, config: { minRequests: 10, sampleSize: 10 } });

  it('writes buffered successes once, on flush, newest first', async () => {
    const breaker = breakerFor('flush');
    for (let i = 0; i < 5; i++) await breaker.record('ch1', 'ok', false);
    expect(await r.redis.llen(`${r.prefix}:flush:ch1:sample`)).toBe(0);
    await breaker.flush();
    const sample = await r.redis.lrange(`${r.prefix}:flush:ch1:sample`, 0, -1);
    expect(sample).toHaveLength(5);
    expect(sample.every((entry) => entry.endsWith(':1'))).toBe(true);
    const times = sample.map((entry) => Number(entry.split(':')[0]));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('writes a full sample without waiting for the timer', async () => {
    const breaker = breakerFor('full');
    for (let i = 0; i < 10; i++) await breaker.record('ch1', 'ok', false);
    expect(await r.redis.llen(`${r.prefix}:full:ch1:sample`)).toBe(10);
  });

  it('opens on failures counted together with the buffered successes, and gates at once', async () => {
    const breaker = breakerFor('open');
    expect(await breaker.gate('ch1')).toEqual({ kind: 'pass' });
    for (let i = 0; i < 4; i++) await breaker.record('ch1', 'ok', false);
    for (let i = 0; i < 5; i++) await breaker.record('ch1', 'fail', false);
    // 9 outcomes: fewer than minRequests, still closed.
    expect(await r.redis.exists(`${r.prefix}:open:ch1:open`)).toBe(0);
    expect(await breaker.gate('ch1')).toEqual({ kind: 'pass' });
    await breaker.record('ch1', 'fail', false);
    // 10 outcomes, 6 failed: open — and this process' cached "closed" is not reused.
    expect(await r.redis.exists(`${r.prefix}:open:ch1:open`)).toBe(1);
    expect((await breaker.gate('ch1')).kind).toBe('wait');
  });

  it("sees another process's opening once its cached answer is older than gateCacheMs", async () => {
    const mine = createCircuitBreaker({ redis: r.redis, keyPrefix: `${r.prefix}:other:`, log: testLogger(), gateCacheMs: 50 });
    expect(await mine.gate('ch1')).toEqual({ kind: 'pass' });
    await r.redis.set(`${r.prefix}:other:ch1:open`, String(Date.now() + 10_000));
    expect(await mine.gate('ch1')).toEqual({ kind: 'pass' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await mine.gate('ch1')).kind).toBe('wait');
  });
});
