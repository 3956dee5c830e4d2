/** The token bucket's arithmetic, the webhook replay window and the recent-body memory. */
import fc from 'fast-check';
import { fullBucket, isFull, takeToken, type BucketState } from '../../../src/security/token-bucket.js';
import { checkReplayWindow, createRecentDeliveries, deliveryTimeOf } from '../../../src/webhooks/replay-guard.js';

describe('token bucket', () => {
  const limits = { ratePerSecond: 2, burst: 5 };

  it('allows a burst, then refuses with the time until the next token', () => {
    let state: BucketState | undefined;
    for (let i = 0; i < 5; i += 1) {
      const r = takeToken(state, limits, 1_000);
      expect(r.allowed).toBe(true);
      state = r.state;
    }
    const refused = takeToken(state, limits, 1_000);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 500 });
    expect(takeToken(refused.state, limits, 1_500).allowed).toBe(true);
  });

  it('never lets more than burst + rate × elapsed requests through', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        let state: BucketState | undefined;
        let now = 0;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          const r = takeToken(state, limits, now);
          state = r.state;
          if (r.allowed) allowed += 1;
          else expect(r.retryAfterMs).toBeGreaterThan(0);
        }
        expect(allowed).toBeLessThanOrEqual(limits.burst + Math.floor((now * limits.ratePerSecond) / 1000));
      }),
      { numRuns: 200 },
    );
  });

  it('a clock going backwards refills nothing; a full bucket can be forgotten', () => {
    const drained = takeToken({ tokens: 0.5, at: 10_000 }, limits, 5_000);
    expect(drained.allowed).toBe(false);
    expect(isFull(fullBucket(limits, 0), limits, 0)).toBe(true);
    expect(isFull({ tokens: 0, at: 0 }, limits, 2_500)).toBe(true);
  });
});

describe('replay window', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  it('reads Connectly timestamps only', () => {
    expect(deliveryTimeOf('connectly', { timestamp: '2026-11-21T09:59:00Z' })).toEqual(new Date('2026-11-21T09:59:00Z'));
    expect(deliveryTimeOf('connectly', { timestamp: 1_795_000_000 })).toEqual(new Date(1_795_000_000_000));
    expect(deliveryTimeOf('connectly', { timestamp: 'garbage' })).toBeUndefined();
    expect(deliveryTimeOf('yeastar', { timestamp: '2026-11-21T09:59:00Z' })).toBeUndefined();
  });

  it('lets through events within the window and those without a time; refuses the rest', () => {
    const max = 300_000;
    expect(checkReplayWindow(undefined, now, max)).toEqual({ ok: true });
    expect(checkReplayWindow(new Date(now.getTime() - max), now, max)).toEqual({ ok: true });
    expect(checkReplayWindow(new Date(now.getTime() - max - 1), now, max)).toMatchObject({ ok: false, reason: 'stale' });
    expect(checkReplayWindow(new Date(now.getTime() + max + 1), now, max)).toMatchObject({ ok: false, reason: 'future' });
  });

  it('remembers bodies per channel for the TTL, within a bounded size', () => {
    const recent = createRecentDeliveries({ ttlMs: 1_000, maxEntries: 3 });
    const body = Buffer.from('{"a":1}');
    recent.remember('c1', body, now);
    expect(recent.seen('c1', body, now)).toBe(true);
    expect(recent.seen('c2', body, now)).toBe(false);
    expect(recent.seen('c1', Buffer.from('{"a":2}'), now)).toBe(false);
    expect(recent.seen('c1', body, new Date(now.getTime() + 1_001))).toBe(false);
    for (let i = 0; i < 5; i += 1) recent.remember('c1', Buffer.from(String(i)), now);
    expect(recent.seen('c1', body, now)).toBe(false); // evicted: the oldest goes first
    expect(recent.seen('c1', Buffer.from('4'), now)).toBe(true);
  });
});
