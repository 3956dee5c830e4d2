/**
 * API keys on every route but /healthz, scopes, and the error mapping for what Fastify itself
 * rejects (bad JSON, wrong content type, large bodies, unknown routes) and for the unexpected.
 */
import { createApiKey, revokeApiKey } from '../../../src/auth/api-keys.js';
import { BODY_LIMIT_BYTES } from '../../../src/api/build-app.js';
import { createApiHarness, rowCounts, type ApiHarness } from './api-harness.js';

let clock = new Date('2030-01-01T00:00:00.000Z');
let h: ApiHarness;

beforeAll(async () => {
  h = await createApiHarness('api_auth', { now: () => clock });
});
afterAll(async () => {
  await h.close();
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

test('GET /healthz needs no key', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/healthz' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ status: 'ok' });
});

test.each([
  ['no Authorization header', {}],
  ['an unknown key', auth('cdk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')],
  ['a key that is not ours at all', auth('hunter2')],
  ['a non-Bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
])('%s → 401 UNAUTHENTICATED, and nothing is written', async (_label, headers) => {
  const before = await rowCounts(h.db);
  for (const [method, url] of [['GET', '/v1/channels'], ['POST', '/v1/campaigns'], ['GET', '/v1/nope']] as const) {
    const res = await h.app.inject({ method, url, headers, payload: method === 'POST' ? { name: 'x' } : undefined });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  }
  expect(await rowCounts(h.db)).toEqual(before);
});

test('a revoked key stops working once the cache period (5 s) has passed', async () => {
  const { id, key } = await createApiKey(h.db.prisma, 'to revoke');
  expect((await h.app.inject({ method: 'GET', url: '/v1/channels', headers: auth(key) })).statusCode).toBe(200);
  expect((await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt?.toISOString()).toBe(clock.toISOString());
  await revokeApiKey(h.db.prisma, id);
  clock = new Date(clock.getTime() + 6_000);
  const res = await h.app.inject({ method: 'GET', url: '/v1/channels', headers: auth(key) });
  expect(res.statusCode).toBe(401);
});

test('a key without the route’s scope gets 403 FORBIDDEN', async () => {
  const { key } = await createApiKey(h.db.prisma, 'reader', ['read']);
  expect((await h.app.inject({ method: 'GET', url: '/v1/channels', headers: auth(key) })).statusCode).toBe(200);
  const res = await h.app.inject({ method: 'POST', url: '/v1/campaigns', headers: auth(key), payload: {} });
  expect(res.statusCode).toBe(403);
  expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', details: { required_scope: 'send' } });
});

test('malformed JSON → 400 INVALID_JSON', async () => {
  const before = await rowCounts(h.db);
  const res = await h.request({ method: 'POST', url: '/v1/campaigns', headers: { 'content-type': 'application/json' }, payload: '{"name": "x",' });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual({ error: { code: 'INVALID_JSON', message: expect.any(String) } });
  expect(await rowCounts(h.db)).toEqual(before);
});

test('a body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
    const res = await h.request({ method: 'POST', url: '/v1/campaigns', headers: { 'content-type': type }, payload: 'name=x' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  }
});

test('a body over the limit → 413 PAYLOAD_TOO_LARGE', async () => {
  const res = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES) }),
  });
  expect(res.statusCode).toBe(413);
  expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
});

test('a missing body on a route that needs one names no field; a wrong type names it', async () => {
  const empty = await h.request({ method: 'POST', url: '/v1/campaigns' });
  expect(empty.statusCode).toBe(400);
  expect(empty.json().error.code).toBe('VALIDATION_FAILED');
  const wrong = await h.request({ method: 'POST', url: '/v1/channels', payload: { name: 'n', provider: 'yeastar', kind: 'sms', sender_id: 's', settings: {}, credentials: {}, rate_per_second: 0 } });
  expect(wrong.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'rate_per_second' });
});

test('an unknown route → 404 NOT_FOUND (for an authenticated caller)', async () => {
  const res = await h.request({ method: 'GET', url: '/v1/nothing-here?x=1' });
  expect(res.statusCode).toBe(404);
  expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'no route GET /v1/nothing-here' });
});

test('every answer carries the request id', async () => {
  const res = await h.request({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
  expect(res.headers['x-request-id']).toBe('abc-123');
});
