/**
 * The provider webhooks under arbitrary bodies: unsigned or wrongly signed ones change nothing and
 * answer 401 (or 404 for a foreign channel id); signed ones — arbitrary JSON, envelope-shaped
 * objects with hostile field values, broken JSON — answer 200 or a stable 4xx, never a 5xx.
 */
import fc from 'fast-check';
import { signBody } from '../../src/webhooks/signature.js';
import { snapshot } from '../integration/webhooks/webhook-fixtures.js';
import { createSecurityHarness, type SecurityHarness } from '../integration/security/security-harness.js';
import { expectStableAnswer, hostileString, hostileValue } from './property-helpers.js';

const SECRET = 'property-webhook-secret-0123';
let h: SecurityHarness;
const channels: Record<'yeastar' | 'connectly', string> = { yeastar: '', connectly: '' };

beforeAll(async () => {
  h = await createSecurityHarness('prop_webhooks');
  for (const [provider, settings, credentials] of [
    ['yeastar', { baseUrl: 'http://127.0.0.1:9/openapi/v1.0', channelType: 'whatsapp' }, { clientId: 'c', clientSecret: 's', webhookSecret: SECRET }],
    ['connectly', { businessId: 'b' }, { apiKey: 'k', webhookSecret: SECRET }],
  ] as const) {
    const res = await h.request({ method: 'POST', url: '/v1/channels', payload: { name: provider, provider, kind: 'whatsapp', sender_id: '+15550008000', settings, credentials } });
    channels[provider] = res.json<{ id: string }>().id;
  }
}, 60_000);
afterAll(async () => h?.close());

const phone = fc.oneof(fc.constantFrom('+14155550199', '14155550199', '+1 (415) 555-0199', 'STOP'), hostileString);
const time = fc.oneof(fc.constant(new Date().toISOString()), fc.integer(), fc.double(), hostileString, fc.constantFrom(1e300, -1, 8.64e15, Math.floor(Date.now() / 1000)));
const yeastarEnvelope = fc.record({
  type: fc.oneof(fc.constantFrom(30030, 30031, 30032, '30031', '30032'), hostileValue),
  sn: hostileValue,
  msg: fc.oneof(
    fc.record({ msg_id: hostileValue, delivery_status: fc.oneof(fc.constantFrom(0, 1, 2, '2'), hostileValue), send_error: hostileValue, send_error_msg: hostileValue, sender: fc.oneof(phone, fc.record({ number: phone })), msg_body: fc.oneof(fc.constantFrom('STOP', 'start'), hostileString), receive_time: time, send_time: time }, { requiredKeys: [] }),
    hostileValue,
    hostileValue.map((v) => JSON.stringify(v) ?? ''),
  ),
}, { requiredKeys: [] });
const connectlyEnvelope = fc.record({
  topic: fc.oneof(fc.constantFrom('delivery_status', 'messages'), hostileValue),
  timestamp: time,
  sender: fc.oneof(phone, fc.record({ id: phone })),
  statusUpdate: fc.oneof(fc.record({ id: hostileValue, status: fc.oneof(fc.constantFrom('sent', 'delivered', 'read', 'delivery_failed'), hostileValue), error: hostileValue }, { requiredKeys: [] }), hostileValue),
  message: fc.oneof(fc.record({ text: fc.oneof(fc.constantFrom('STOP', 'START'), hostileString), isEcho: hostileValue }, { requiredKeys: [] }), hostileValue),
}, { requiredKeys: [] });

const delivery = fc.record({
  provider: fc.constantFrom('yeastar' as const, 'connectly' as const),
  withId: fc.constantFrom('own', 'none', 'other', 'junk'),
  body: fc.oneof(yeastarEnvelope.map((v) => JSON.stringify(v)), connectlyEnvelope.map((v) => JSON.stringify(v)), hostileValue.map((v) => JSON.stringify(v) ?? ''), hostileString),
  signing: fc.constantFrom('right', 'right', 'right', 'wrong', 'none', 'garbage'),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
});

it('never a 5xx; anything not signed by the channel changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(delivery, async (d) => {
      const other = d.provider === 'yeastar' ? channels.connectly : channels.yeastar;
      const id = { own: `/${channels[d.provider]}`, none: '', other: `/${other}`, junk: '/%27%20OR%201%3D1' }[d.withId];
      const header = d.provider === 'yeastar' ? 'x-signature' : 'x-connectly-hmac-sha256';
      const signature = { right: signBody(d.body, SECRET), wrong: signBody(d.body, 'another-secret-value'), none: undefined, garbage: '!!not base64!!' }[d.signing];
      const headers: Record<string, string> = {};
      if (d.contentType) headers['content-type'] = d.contentType;
      if (signature !== undefined) headers[header] = signature;
      const before = d.signing === 'right' ? undefined : await snapshot(h.db.pool);
      const res = await h.app.inject({ method: 'POST', url: `/v1/webhooks/${d.provider}${id}`, payload: d.body, headers });
      expectStableAnswer(res, { ...d, body: d.body.slice(0, 300) });
      if (before !== undefined) {
        expect([401, 404]).toContain(res.statusCode);
        expect(await snapshot(h.db.pool)).toEqual(before);
      }
    }),
    { numRuns: 150 },
  );
}, 90_000);

it('signed events with absurd times are handled, never a 5xx', async () => {
  for (const timestamp of [1e300, -1, 8.64e15 + 1, '99999-01-01T00:00:00Z', '0000-00-00', 'NaN', Number.MAX_SAFE_INTEGER]) {
    for (const [provider, body] of [
      ['connectly', { timestamp, sender: { id: '+14155550198' }, message: { text: 'hello' } }],
      ['yeastar', { type: 30031, sn: 'S', msg: { sender: { number: '+14155550198' }, msg_body: 'hello', receive_time: timestamp } }],
    ] as const) {
      const payload = JSON.stringify(body);
      const header = provider === 'yeastar' ? 'x-signature' : 'x-connectly-hmac-sha256';
      const res = await h.app.inject({
        method: 'POST',
        url: `/v1/webhooks/${provider}/${channels[provider]}`,
        payload,
        headers: { 'content-type': 'application/json', [header]: signBody(payload, SECRET) },
      });
      expectStableAnswer(res, body);
    }
  }
});
