/**
 * POST/GET /v1/channels: settings and credentials are checked per provider, stored, and the
 * credentials never come back.
 */
import { loadConfig } from '../../../src/config/config.js';
import { decryptCredentials } from '../../../src/security/credentials.js';
import { createApiHarness, rowCounts, type ApiHarness } from './api-harness.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await createApiHarness('api_channels');
});
afterAll(async () => {
  await h.close();
});

const yeastar = {
  name: 'PBX SMS',
  provider: 'yeastar',
  kind: 'sms',
  sender_id: '+15550001111',
  settings: { baseUrl: 'https://pbx.example.com/openapi/v1.0', channelType: 'twilio', senderType: 9 },
  credentials: { clientId: 'id-1', clientSecret: 'very-secret' },
};
const connectly = {
  name: 'WA',
  provider: 'connectly',
  kind: 'whatsapp',
  sender_id: '+15550002222',
  rate_per_second: 80,
  settings: { businessId: 'biz-1' },
  credentials: { apiKey: 'ck-secret' },
};

test('a yeastar and a connectly channel are stored with their credentials, answered without them', async () => {
  const a = await h.request({ method: 'POST', url: '/v1/channels', payload: yeastar });
  expect(a.statusCode).toBe(201);
  expect(a.json()).toMatchObject({ name: 'PBX SMS', provider: 'yeastar', kind: 'sms', sender_id: '+15550001111', rate_per_second: 20, settings: yeastar.settings });
  expect(a.body).not.toContain('very-secret');
  expect(a.json()).not.toHaveProperty('credentials');

  const b = await h.request({ method: 'POST', url: '/v1/channels', payload: connectly });
  expect(b.statusCode).toBe(201);
  expect(b.json()).toMatchObject({ provider: 'connectly', rate_per_second: 80 });

  const row = await h.db.prisma.channel.findUniqueOrThrow({ where: { id: a.json().id } });
  expect(row).toMatchObject({ provider: 'yeastar', senderId: '+15550001111', ratePerSecond: 20 });
  // Stored encrypted at rest; only the keyring reads them back.
  expect(row.credentials).not.toEqual(yeastar.credentials);
  expect(decryptCredentials(row.credentials, loadConfig({}).credentialsKeyring)).toEqual(yeastar.credentials);

  const list = await h.request({ method: 'GET', url: '/v1/channels' });
  expect(list.statusCode).toBe(200);
  expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([a.json().id, b.json().id]);
  expect(list.body).not.toMatch(/very-secret|ck-secret|credentials/);
});

test.each([
  ['yeastar without baseUrl', { ...yeastar, settings: { channelType: 'twilio' } }, 'settings.baseUrl'],
  ['yeastar with a non-http baseUrl', { ...yeastar, settings: { ...yeastar.settings, baseUrl: 'ftp://pbx' } }, 'settings.baseUrl'],
  ['yeastar with a fractional senderType', { ...yeastar, settings: { ...yeastar.settings, senderType: 1.5 } }, 'settings.senderType'],
  ['yeastar without clientSecret', { ...yeastar, credentials: { clientId: 'x' } }, 'credentials.clientSecret'],
  ['connectly without businessId', { ...connectly, settings: {} }, 'settings.businessId'],
  ['connectly with yeastar credentials', { ...connectly, credentials: yeastar.credentials }, 'credentials.apiKey'],
  ['an unknown provider', { ...connectly, provider: 'twilio' }, 'provider'],
  ['an unknown kind', { ...connectly, kind: 'telegram' }, 'kind'],
  ['a rate above 10,000', { ...connectly, rate_per_second: 10_001 }, 'rate_per_second'],
  ['no credentials', { ...connectly, credentials: undefined }, 'credentials'],
])('%s → 400 VALIDATION_FAILED naming %s, nothing stored', async (_label, payload, field) => {
  const before = await rowCounts(h.db);
  const res = await h.request({ method: 'POST', url: '/v1/channels', payload });
  expect(res.statusCode).toBe(400);
  expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
  expect(res.body).not.toMatch(/very-secret|ck-secret/);
  expect(await rowCounts(h.db)).toEqual(before);
});
