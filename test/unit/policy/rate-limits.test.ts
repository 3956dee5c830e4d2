import { describe, expect, it } from '@jest/globals';
import { CONNECTLY_ACCOUNT_RATE_PER_SECOND, sustainedRatePerSecond, throughputLimits } from '../../../src/policy/rate-limits.js';

describe('sustainedRatePerSecond', () => {
  it('is the channel rate when the account has no limit (Yeastar without accountRatePerSecond)', () => {
    expect(sustainedRatePerSecond({ provider: 'yeastar', ratePerSecond: 500, settings: {} })).toBe(500);
  });

  it("is the lower of the channel's and the account's limit", () => {
    expect(sustainedRatePerSecond({ provider: 'connectly', ratePerSecond: 500, settings: {} })).toBe(CONNECTLY_ACCOUNT_RATE_PER_SECOND);
    expect(sustainedRatePerSecond({ provider: 'connectly', ratePerSecond: 50, settings: {} })).toBe(50);
    expect(sustainedRatePerSecond({ provider: 'connectly', ratePerSecond: 5_000, settings: { accountRatePerSecond: 1_000 } })).toBe(1_000);
    expect(sustainedRatePerSecond({ provider: 'yeastar', ratePerSecond: 500, settings: { accountRatePerSecond: 120 } })).toBe(120);
  });

  it('never answers less than 1, as the limits themselves', () => {
    expect(sustainedRatePerSecond({ provider: 'yeastar', ratePerSecond: 0, settings: {} })).toBe(1);
  });

  it('agrees with the throughput limits a send is checked against', () => {
    const channel = { id: 'c1', provider: 'connectly' as const, kind: 'sms' as const, ratePerSecond: 700, pairGapMs: null, settings: { accountRatePerSecond: 300 }, credentials: { apiKey: 'k' } };
    const lowest = Math.min(...throughputLimits(channel).map((l) => (l.limit * 1000) / l.windowMs));
    expect(sustainedRatePerSecond(channel)).toBe(lowest);
  });
});
