import { createSendContextCache, type SendContext } from '../../../src/dispatch/send-context.js';

function contextFor(campaignId: string): SendContext {
  const channel = { id: 'ch', provider: 'connectly', kind: 'whatsapp', senderId: '+1555', settings: {}, credentials: {} } as const;
  return {
    campaignId,
    campaignName: `c-${campaignId}`,
    kind: 'campaign',
    sessionId: null,
    status: 'running',
    content: { contentType: 'text', content: 'hi', msgParam: null },
    messageTag: null,
    expiresAt: null,
    maxAttempts: 8,
    maxRetrySeconds: 3600,
    channel,
    limits: { ...channel, ratePerSecond: 20, pairGapMs: null },
  };
}

describe('send context cache', () => {
  it('loads once per campaign within the TTL, sharing concurrent misses', async () => {
    let loads = 0;
    let clock = 0;
    const cache = createSendContextCache({
      load: async (id) => {
        loads += 1;
        return contextFor(id);
      },
      now: () => clock,
      ttlMs: 1_000,
    });
    const many = await Promise.all(Array.from({ length: 50 }, () => cache.get('a')));
    expect(loads).toBe(1);
    expect(many.every((c) => c?.campaignId === 'a')).toBe(true);
    clock = 999;
    await cache.get('a');
    expect(loads).toBe(1);
    clock = 1_000;
    await cache.get('a');
    expect(loads).toBe(2);
    await cache.get('b');
    expect(loads).toBe(3);
  });

  it('does not cache a failed load', async () => {
    let calls = 0;
    const cache = createSendContextCache({
      load: async (id) => {
        calls += 1;
        if (calls === 1) throw new Error('db down');
        return contextFor(id);
      },
      now: () => 0,
    });
    await expect(cache.get('a')).rejects.toThrow('db down');
    await expect(cache.get('a')).resolves.toMatchObject({ campaignId: 'a' });
  });
});
