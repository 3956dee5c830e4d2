import { breakerGate, DEFAULT_BREAKER_CONFIG, shouldOpen, type SampledOutcome } from '../../../src/policy/circuit-breaker.js';
import { coolDownKey, sendLimits } from '../../../src/policy/rate-limits.js';
import { decideRetry } from '../../../src/policy/retry-decision.js';

const config = DEFAULT_BREAKER_CONFIG;
const outcomes = (fails: number, oks: number, at: number): SampledOutcome[] => [
  ...Array.from({ length: fails }, () => ({ at, ok: false })),
  ...Array.from({ length: oks }, () => ({ at, ok: true })),
];

describe('circuit breaker policy', () => {
  it('opens at half failures among at least minRequests recent outcomes', () => {
    expect(shouldOpen(outcomes(10, 10, 1_000), 1_000, config)).toBe(true);
    expect(shouldOpen(outcomes(9, 11, 1_000), 1_000, config)).toBe(false);
    expect(shouldOpen(outcomes(19, 0, 1_000), 1_000, config)).toBe(false); // too few
    expect(shouldOpen(outcomes(20, 0, 1_000), 1_000 + config.windowMs + 1, config)).toBe(false); // too old
  });

  it('passes when closed, waits while open, offers a probe after the cool-down', () => {
    expect(breakerGate(null, 5, config)).toEqual({ kind: 'pass' });
    expect(breakerGate(1_000, 400, config, () => 0)).toEqual({ kind: 'wait', ms: 600 });
    expect(breakerGate(1_000, 1_000, config)).toEqual({ kind: 'try-probe' });
  });
});

describe('retry decision', () => {
  const limits = { maxAttempts: 3, maxRetrySeconds: 60 };
  it('retries until max_attempts counted attempts, not counting free ones', () => {
    expect(decideRetry({ attempts: 2, freeAttempts: 0, firstAttemptAt: 0, free: false, limits, now: 0 }, () => 0)).toMatchObject({ retry: true });
    expect(decideRetry({ attempts: 3, freeAttempts: 0, firstAttemptAt: 0, free: false, limits, now: 0 })).toEqual({ retry: false, reason: 'retries_exhausted' });
    expect(decideRetry({ attempts: 3, freeAttempts: 1, firstAttemptAt: 0, free: false, limits, now: 0 }, () => 0)).toMatchObject({ retry: true });
    expect(decideRetry({ attempts: 9, freeAttempts: 0, firstAttemptAt: 0, free: true, limits, now: 0, retryAfterMs: 2_000 })).toEqual({ retry: true, delayMs: 2_000, freeAttempts: 1 });
  });

  it('fails when the next attempt would land past max_retry_seconds from the first', () => {
    expect(decideRetry({ attempts: 1, freeAttempts: 0, firstAttemptAt: 0, free: false, limits, now: 59_000, retryAfterMs: 1_001 })).toEqual({ retry: false, reason: 'retry_time_exceeded' });
  });
});

describe('rate limits of a send', () => {
  const channel = { id: 'c1', provider: 'connectly' as const, kind: 'whatsapp' as const, ratePerSecond: 50, pairGapMs: null, settings: { businessId: 'b' }, credentials: { apiKey: 'k' } };
  it('applies channel, account (Connectly 200/s) and the WhatsApp 6 s pair gap', () => {
    const limits = sendLimits(channel, '+1555');
    expect(limits.map((l) => [l.kind, l.limit, l.windowMs])).toEqual([['rate', 50, 1000], ['rate', 200, 1000], ['pair', 1, 6000]]);
    expect(limits[1]!.key).toMatch(/^acct:connectly:[0-9a-f]{24}$/); // hashed, not the API key itself
    expect(coolDownKey(channel, 'rate_limited')).toBe(limits[1]!.key);
    expect(coolDownKey(channel, 'pause_sender')).toBe('ch:c1');
  });

  it('has no pair gap on SMS unless configured, and none for Yeastar accounts unless configured', () => {
    const sms = { ...channel, provider: 'yeastar' as const, kind: 'sms' as const, settings: { baseUrl: 'http://x' }, credentials: { clientId: 'c' } };
    expect(sendLimits(sms, '+1555').map((l) => l.key)).toEqual(['ch:c1']);
    expect(sendLimits({ ...sms, pairGapMs: 1_000, settings: { ...sms.settings, accountRatePerSecond: 30 } }, '+1555').map((l) => l.kind)).toEqual(['rate', 'rate', 'pair']);
  });
});
