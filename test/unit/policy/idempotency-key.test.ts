import { IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyKey } from '../../../src/policy/idempotency-key.js';

describe('idempotency key', () => {
  const campaignId = '3f2b8c1e-9a4d-4e7b-8f60-1c2d3e4f5a6b';

  it('is deterministic per campaign and recipient', () => {
    expect(idempotencyKey(campaignId, '42')).toBe(idempotencyKey(campaignId, 42n));
    expect(idempotencyKey(campaignId, '42')).toBe(`cd-${campaignId}-42`);
    expect(idempotencyKey(campaignId, '42')).not.toBe(idempotencyKey(campaignId, '43'));
  });

  it('fits Yeastar request_id (≤ 127 characters) for the largest bigint id', () => {
    const key = idempotencyKey(campaignId, 9223372036854775807n);
    expect(key.length).toBeLessThanOrEqual(IDEMPOTENCY_KEY_MAX_LENGTH);
  });

  it('refuses rather than truncates an over-long key', () => {
    expect(() => idempotencyKey('x'.repeat(200), '1')).toThrow(RangeError);
  });
});
