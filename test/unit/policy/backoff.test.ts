import { RETRY_BASE_MS, RETRY_CAP_MS, RETRY_MIN_MS, SEND_ATTEMPTS, retryCeilingMs, retryDelayMs } from '../../../src/policy/backoff.js';

describe('retry backoff', () => {
  it('doubles the ceiling per attempt from the base, up to the cap', () => {
    expect(retryCeilingMs(1)).toBe(RETRY_BASE_MS);
    expect(retryCeilingMs(2)).toBe(2 * RETRY_BASE_MS);
    expect(retryCeilingMs(4)).toBe(8 * RETRY_BASE_MS);
    expect(retryCeilingMs(20)).toBe(RETRY_CAP_MS);
    expect(retryCeilingMs(5000)).toBe(RETRY_CAP_MS);
  });

  it('draws the delay across the whole jitter range [floor, ceiling]', () => {
    expect(retryDelayMs({ attemptsMade: 3 }, () => 0)).toBe(RETRY_MIN_MS);
    expect(retryDelayMs({ attemptsMade: 3 }, () => 0.5)).toBe(Math.floor(RETRY_MIN_MS + 0.5 * (4 * RETRY_BASE_MS - RETRY_MIN_MS)));
    expect(retryDelayMs({ attemptsMade: 3 }, () => 0.999999)).toBeLessThanOrEqual(4 * RETRY_BASE_MS);
  });

  it('stays within bounds for every attempt with the real random source', () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs({ attemptsMade: attempt });
        expect(delay).toBeGreaterThanOrEqual(RETRY_MIN_MS);
        expect(delay).toBeLessThanOrEqual(Math.min(RETRY_CAP_MS, retryCeilingMs(attempt)));
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('spreads delays (jitter), not one synchronized value', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs({ attemptsMade: 6 })));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('waits exactly Retry-After when the provider gave one, even past the cap', () => {
    expect(retryDelayMs({ attemptsMade: 1, retryAfterMs: 2_000 }, () => 0)).toBe(2_000);
    expect(retryDelayMs({ attemptsMade: 7, retryAfterMs: 1_500.2 })).toBe(1_501);
    expect(retryDelayMs({ attemptsMade: 1, retryAfterMs: RETRY_CAP_MS * 2 })).toBe(RETRY_CAP_MS * 2);
    expect(retryDelayMs({ attemptsMade: 1, retryAfterMs: 0 })).toBe(0);
  });

  it('ignores a nonsense Retry-After', () => {
    const delay = retryDelayMs({ attemptsMade: 1, retryAfterMs: Number.NaN }, () => 1);
    expect(delay).toBeLessThanOrEqual(RETRY_BASE_MS);
    expect(retryDelayMs({ attemptsMade: 1, retryAfterMs: -5 }, () => 0)).toBe(RETRY_MIN_MS);
  });

  it('defaults to 8 attempts', () => {
    expect(SEND_ATTEMPTS).toBe(8);
  });
});
