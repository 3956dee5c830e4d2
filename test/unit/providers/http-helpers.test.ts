import { channelFingerprint } from '../../../src/providers/channel-fingerprint.js';
import { findMetaError } from '../../../src/providers/meta-errors.js';
import { redactSecrets } from '../../../src/providers/redact.js';
import { parseRetryAfter } from '../../../src/providers/retry-after.js';
import type { ChannelSpec } from '../../../src/providers/types.js';

describe('redactSecrets', () => {
  it('removes access tokens from URLs and messages', () => {
    expect(redactSecrets('POST http://pbx/openapi/v1.0/message/send?access_token=abcDEF123&x=1')).toBe(
      'POST http://pbx/openapi/v1.0/message/send?access_token=[redacted]&x=1',
    );
    expect(redactSecrets('a?refresh_token=zz b')).toBe('a?refresh_token=[redacted] b');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, ignores junk', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 20_000)).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});

describe('findMetaError', () => {
  it('finds Meta codes in prose but not bare small numbers inside it', () => {
    expect(findMetaError('(#131047) Re-engagement')?.code).toBe(131047);
    expect(findMetaError('failed after 2 attempts')).toBeUndefined();
    expect(findMetaError('2')?.code).toBe(2);
  });
});

describe('channelFingerprint', () => {
  const channel: ChannelSpec = {
    id: 'c1',
    provider: 'connectly',
    kind: 'whatsapp',
    senderId: '+1',
    settings: { businessId: 'b', baseUrl: 'http://x' },
    credentials: { apiKey: 'k' },
  };
  it('ignores key order and changes with credentials', () => {
    const reordered = { ...channel, settings: { baseUrl: 'http://x', businessId: 'b' } };
    expect(channelFingerprint(reordered)).toBe(channelFingerprint(channel));
    expect(channelFingerprint({ ...channel, credentials: { apiKey: 'k2' } })).not.toBe(channelFingerprint(channel));
  });
});
