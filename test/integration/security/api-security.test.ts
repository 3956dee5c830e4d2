/**
 * Who gets in, and what every answer carries: API keys stored as hashes, scoped and revocable; the
 * per-key rate limit (429 + Retry-After); security headers on JSON, error and HTML answers.
 */
import { hashApiKey, revokeApiKey } from '../../../src/auth/api-keys.js';
import { API_CSP, PAGE_CSP } from '../../../src/api/plugins/security-headers.js';
import { createSecurityHarness, writeCounts, type SecurityHarness } from './security-harness.js';

let h: SecurityHarness;
let limited: SecurityHarness;

beforeAll(async () => {
  h = await createSecurityHarness('sec_api');
  // One token every 1,000 s: the bucket cannot refill while the test runs, however slow the box.
  limited = await createSecurityHarness('sec_rate', { config: { apiRateLimitPerSecond: 0.001, apiRateLimitBurst: 3 } });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await limited?.close();
});

describe('API keys', () => {
  it('stores only the SHA-256 of a key, never the key', async () => {
    const { id, key } = await h.newKey(['read']);
    const { rows } = await h.db.pool.query<{ row: string; key_hash: string }>(`SELECT row_to_json(k)::text AS row, key_hash FROM api_keys k WHERE id = $1`, [id]);
    expect(rows[0]?.key_hash).toBe(hashApiKey(key));
    expect(rows[0]?.row).not.toContain(key.slice(4));
  });

  it('refuses a route outside the key’s scopes with 403 FORBIDDEN, and changes nothing', async () => {
    const { key } = await h.newKey(['read']);
    const before = await writeCounts(h.db);
    const res = await h.request({
      method: 'POST',
      url: '/v1/channels',
      headers: { authorization: `Bearer ${key}` },
      payload: { name: 'x', provider: 'connectly', kind: 'sms', sender_id: '+15550000000', settings: { businessId: 'b' }, credentials: { apiKey: 'k' } },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN', details: { required_scope: 'admin' } } });
    expect(await writeCounts(h.db)).toEqual(before);
    const read = await h.request({ method: 'GET', url: '/v1/channels', headers: { authorization: `Bearer ${key}` } });
    expect(read.statusCode).toBe(200);
  });

  it('a revoked key is refused with 401 on the next request', async () => {
    const { id, key } = await h.newKey(['read', 'send', 'admin']);
    expect((await h.request({ method: 'GET', url: '/v1/campaigns', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    expect(await revokeApiKey(h.db.prisma, id)).toBe(true);
    const res = await h.request({ method: 'GET', url: '/v1/campaigns', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it.each([
    ['no header', undefined],
    ['an unknown key', 'Bearer cdk_unknownunknownunknownunknownunknown'],
    ['a key without the prefix', 'Bearer abc'],
    ['the wrong scheme', `Basic dGVzdDp0ZXN0`],
  ])('401 UNAUTHENTICATED for %s', async (_label, authorization) => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/campaigns', headers: authorization === undefined ? {} : { authorization } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });
});

describe('per-key rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a key has used its burst, and only for that key', async () => {
    const first = await limited.newKey(['read']);
    const second = await limited.newKey(['read']);
    const get = (key: string) => limited.app.inject({ method: 'GET', url: '/v1/campaigns', headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i += 1) expect((await get(first.key)).statusCode).toBe(200);
    const refused = await get(first.key);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED', details: { burst: 3 } } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Security headers are on the refusal too.
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(second.key)).statusCode).toBe(200);
  });

  it('does not count unauthenticated requests or public routes against anyone', async () => {
    const key = await limited.newKey(['read']);
    for (let i = 0; i < 5; i += 1) {
      expect((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await limited.app.inject({ method: 'GET', url: '/v1/campaigns', headers: { authorization: 'Bearer cdk_nobody' } })).statusCode).toBe(401);
    }
    expect((await limited.app.inject({ method: 'GET', url: '/v1/campaigns', headers: { authorization: `Bearer ${key.key}` } })).statusCode).toBe(200);
  });
});

describe('security headers', () => {
  const common = (headers: Record<string, unknown>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-powered-by']).toBeUndefined();
  };

  it('JSON answers, errors and unknown routes carry them, with the API CSP and no-store', async () => {
    for (const res of [
      await h.request({ method: 'GET', url: '/v1/campaigns' }),
      await h.app.inject({ method: 'GET', url: '/v1/campaigns' }),
      await h.request({ method: 'GET', url: '/v1/nothing-here' }),
      await h.request({ method: 'POST', url: '/v1/campaigns', payload: '{not json', headers: { 'content-type': 'application/json' } }),
    ]) {
      common(res.headers);
      expect(res.headers['content-security-policy']).toBe(API_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('public routes and webhooks carry them too', async () => {
    for (const res of [
      await h.app.inject({ method: 'GET', url: '/healthz' }),
      await h.app.inject({ method: 'POST', url: '/v1/webhooks/yeastar', payload: '{}', headers: { 'content-type': 'application/json' } }),
    ]) {
      common(res.headers);
      expect(res.headers['content-security-policy']).toBeDefined();
    }
  });

  it('HTML pages get a page CSP without inline scripts, unless the page set its own', async () => {
    const docs = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(String(docs.headers['content-type'])).toMatch(/text\/html/);
    common(docs.headers);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // The page loads only same-origin scripts, so the policy does not break it.
    for (const src of docs.body.matchAll(/<script[^>]*src="([^"]+)"/g)) expect(src[1]).not.toMatch(/^(https?:)?\/\//);
    expect(docs.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).not.toMatch(/script-src[^;]*unsafe/);
  });
});
