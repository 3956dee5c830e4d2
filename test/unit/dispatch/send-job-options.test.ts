import { RETRY_MIN_MS, retryCeilingMs, SEND_ATTEMPTS } from '../../../src/policy/backoff.js';
import { SEND_BACKOFF_TYPE, sendBackoffStrategy, sendJobOptions } from '../../../src/dispatch/send-job-options.js';
import { ProviderError } from '../../../src/providers/provider-error.js';

describe('send job options', () => {
  it('uses the deterministic job id, our attempts and our backoff type', () => {
    expect(sendJobOptions('42')).toMatchObject({ jobId: 'r-42', attempts: SEND_ATTEMPTS, backoff: { type: SEND_BACKOFF_TYPE } });
  });

  it('waits exactly the Retry-After carried by a ProviderError', async () => {
    const err = new ProviderError({ provider: 'connectly', errorClass: 'rate_limited', providerCode: '429', providerMessage: 'slow down', retryAfterMs: 2_000 });
    expect(await sendBackoffStrategy(1, SEND_BACKOFF_TYPE, err)).toBe(2_000);
  });

  it('uses jittered exponential backoff otherwise', async () => {
    const delay = await sendBackoffStrategy(3, SEND_BACKOFF_TYPE, new Error('pg down'));
    expect(delay).toBeGreaterThanOrEqual(RETRY_MIN_MS);
    expect(delay).toBeLessThanOrEqual(retryCeilingMs(3));
  });
});
