/**
 * The webhook plugin on a real Postgres schema, driven with app.inject(): signatures, windows,
 * opt-out / opt-in, receipts in order, out of order, twice and for unknown ids.
 */
import type { FastifyInstance } from 'fastify';
import { signBody } from '../../../src/webhooks/signature.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import {
  buildWebhookApp,
  insertCampaign,
  insertChannel,
  insertRecipient,
  ledgerRow,
  snapshot,
  suppressionsOf,
  windowOf,
} from './webhook-fixtures.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const secs = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

let db: TestDatabase;
let app: FastifyInstance;
let yeastarA: string;
let yeastarB: string;
let yeastarNoSecret: string;
let connectly: string;
let connectlyCampaign: string;
let yeastarCampaign: string;

beforeAll(async () => {
  db = await createTestDatabase('webhooks');
  yeastarA = await insertChannel(db.pool, { provider: 'yeastar', credentials: { clientId: 'a', clientSecret: 'a', webhookSecret: 'secret-a' } });
  yeastarB = await insertChannel(db.pool, { provider: 'yeastar', credentials: { clientId: 'b', clientSecret: 'b', webhookSecret: 'secret-b' } });
  yeastarNoSecret = await insertChannel(db.pool, { provider: 'yeastar', credentials: { clientId: 'c', clientSecret: 'c' } });
  connectly = await insertChannel(db.pool, { provider: 'connectly', credentials: { apiKey: 'k', webhookSecret: 'secret-c' } });
  connectlyCampaign = await insertCampaign(db.pool, connectly);
  yeastarCampaign = await insertCampaign(db.pool, yeastarA);
  app = await buildWebhookApp(db, () => NOW);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Post {
  provider: 'yeastar' | 'connectly';
  channelId?: string;
  body: unknown;
  secret?: string;
  signature?: string | null;
  raw?: string;
  contentType?: string;
}

async function post({ provider, channelId, body, secret, signature, raw, contentType }: Post): Promise<{ status: number; json: unknown }> {
  const payload = raw ?? JSON.stringify(body);
  const header = provider === 'yeastar' ? 'x-signature' : 'x-connectly-hmac-sha256';
  const sig = signature === undefined ? signBody(payload, secret ?? (provider === 'yeastar' ? 'secret-a' : 'secret-c')) : signature;
  const res = await app.inject({
    method: 'POST',
    url: `/v1/webhooks/${provider}${channelId ? `/${channelId}` : ''}`,
    payload,
    headers: { 'content-type': contentType ?? 'application/json', ...(sig === null ? {} : { [header]: sig }) },
  });
  return { status: res.statusCode, json: res.body === '' ? undefined : res.json() };
}

const yeastarInbound = (number: string, text: string, at: string) => ({
  type: 30031,
  sn: 'SN1',
  msg: { session_id: 1, msg_id: 2, delivery_status: 1, sender: { number }, msg_type: 0, msg_body: text, receive_time: secs(at) },
});
const connectlyStatus = (id: string, status: string, at = '2026-03-01T11:00:00Z', error?: unknown) => ({
  topic: 'delivery_status',
  timestamp: at,
  sender: { id: '+14151111234', channelType: 'whatsapp' },
  recipient: { id: '+16044441111', channelType: 'whatsapp' },
  statusUpdate: { id, status, ...(error ? { error } : {}) },
  metadata: {},
});

describe('conversation windows', () => {
  it('opens a window on a signed Yeastar inbound message and only ever moves it forward', async () => {
    const number = '+14155550101';
    expect(await post({ provider: 'yeastar', channelId: yeastarA, body: yeastarInbound(number, 'hello', '2026-03-01T10:00:00Z') })).toEqual({
      status: 200,
      json: { ok: true },
    });
    expect(await windowOf(db.pool, yeastarA, number)).toEqual(new Date('2026-03-01T10:00:00Z'));
    // An older message delivered late does not shorten the window; a newer one extends it.
    await post({ provider: 'yeastar', channelId: yeastarA, body: yeastarInbound(number, 'earlier', '2026-03-01T09:00:00Z') });
    expect(await windowOf(db.pool, yeastarA, number)).toEqual(new Date('2026-03-01T10:00:00Z'));
    await post({ provider: 'yeastar', channelId: yeastarA, body: yeastarInbound(number, 'later', '2026-03-01T11:30:00Z') });
    expect(await windowOf(db.pool, yeastarA, number)).toEqual(new Date('2026-03-01T11:30:00Z'));
  });

  it('without a channel id, the channel whose secret signed the body gets the event', async () => {
    const number = '+14155550102';
    const res = await post({ provider: 'yeastar', body: yeastarInbound(number, 'hi', '2026-03-01T10:00:00Z'), secret: 'secret-b' });
    expect(res.status).toBe(200);
    expect(await windowOf(db.pool, yeastarB, number)).toBeDefined();
    expect(await windowOf(db.pool, yeastarA, number)).toBeUndefined();
  });

  it('reads a Connectly inbound message, normalising the sender to E.164', async () => {
    const body = { timestamp: '2026-03-01T10:00:00Z', sender: { id: '1 415 555 0103', channelType: 'whatsapp' }, recipient: { id: '+14151111234' }, message: { text: 'hi' } };
    expect((await post({ provider: 'connectly', channelId: connectly, body })).status).toBe(200);
    expect(await windowOf(db.pool, connectly, '+14155550103')).toEqual(new Date('2026-03-01T10:00:00Z'));
  });
});

describe('opt-out and opt-in', () => {
  it('STOP suppresses the number on the channel; START lifts it; a suppression everywhere stays', async () => {
    const number = '+14155550104';
    await db.pool.query(`INSERT INTO suppressions (channel_id, number, reason) VALUES (NULL, $1, 'operator')`, [number]);
    await post({ provider: 'yeastar', channelId: yeastarA, body: yeastarInbound(number, ' Stop ', '2026-03-01T10:00:00Z') });
    expect(await suppressionsOf(db.pool, number)).toEqual([
      { channel_id: null, reason: 'operator' },
      { channel_id: yeastarA, reason: 'opt_out:STOP' },
    ]);
    // A second opt-out keeps the first reason.
    await post({ provider: 'yeastar', channelId: yeastarA, body: yeastarInbound(number, 'UNSUBSCRIBE', '2026-03-01T10:01:00Z') });
    expect(await suppressionsOf(db.pool, number)).toHaveLength(2);
    await post({ provider: 'yeastar', channelId: yeastarA, body: yeastarInbound(number, 'start', '2026-03-01T10:02:00Z') });
    expect(await suppressionsOf(db.pool, number)).toEqual([{ channel_id: null, reason: 'operator' }]);
  });

  it('a sentence containing STOP changes nothing but the window', async () => {
    const number = '+14155550105';
    await post({ provider: 'connectly', channelId: connectly, body: { timestamp: NOW.toISOString(), sender: { id: number }, message: { text: 'please stop the spam' } } });
    expect(await suppressionsOf(db.pool, number)).toEqual([]);
    expect(await windowOf(db.pool, connectly, number)).toEqual(NOW);
  });
});

describe('receipts', () => {
  it('move a row sent → delivered → read, setting the times', async () => {
    const id = await insertRecipient(db.pool, connectlyCampaign, { number: '+14155550201', providerMessageId: 'm-order' });
    await post({ provider: 'connectly', channelId: connectly, body: connectlyStatus('m-order', 'sent', '2026-03-01T11:00:00Z') });
    expect(await ledgerRow(db.pool, id)).toMatchObject({ status: 'sent', delivered_at: null });
    await post({ provider: 'connectly', channelId: connectly, body: connectlyStatus('m-order', 'delivered', '2026-03-01T11:00:05Z') });
    expect(await ledgerRow(db.pool, id)).toMatchObject({ status: 'delivered', delivered_at: new Date('2026-03-01T11:00:05Z'), read_at: null });
    await post({ provider: 'connectly', channelId: connectly, body: connectlyStatus('m-order', 'read', '2026-03-01T11:01:00Z') });
    expect(await ledgerRow(db.pool, id)).toMatchObject({ status: 'read', delivered_at: new Date('2026-03-01T11:00:05Z'), read_at: new Date('2026-03-01T11:01:00Z') });
  });

  it('out of order and repeated receipts never move a row back', async () => {
    const id = await insertRecipient(db.pool, connectlyCampaign, { number: '+14155550202', providerMessageId: 'm-ooo' });
    await post({ provider: 'connectly', channelId: connectly, body: connectlyStatus('m-ooo', 'read', '2026-03-01T11:01:00Z') });
    const afterRead = await ledgerRow(db.pool, id);
    // "delivered" was skipped: read implies it.
    expect(afterRead).toMatchObject({ status: 'read', delivered_at: new Date('2026-03-01T11:01:00Z'), read_at: new Date('2026-03-01T11:01:00Z') });
    for (const status of ['delivered', 'sent', 'read', 'delivery_failed']) {
      expect((await post({ provider: 'connectly', channelId: connectly, body: connectlyStatus('m-ooo', status) })).status).toBe(200);
    }
    expect(await ledgerRow(db.pool, id)).toEqual(afterRead);
  });

  it('a failed receipt records the error, and a later delivered outranks it', async () => {
    const id = await insertRecipient(db.pool, connectlyCampaign, { number: '+14155550203', providerMessageId: 'm-fail' });
    await post({
      provider: 'connectly',
      channelId: connectly,
      body: connectlyStatus('m-fail', 'delivery_failed', '2026-03-01T11:02:00Z', { code: 'ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID', message: 'not on WhatsApp' }),
    });
    expect(await ledgerRow(db.pool, id)).toMatchObject({
      status: 'failed',
      last_error_code: 'ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID',
      last_error_message: 'not on WhatsApp',
      reason: 'receipt_permanent',
      failed_at: new Date('2026-03-01T11:02:00Z'),
    });
    await post({ provider: 'connectly', channelId: connectly, body: connectlyStatus('m-fail', 'delivered', '2026-03-01T11:03:00Z') });
    expect(await ledgerRow(db.pool, id)).toMatchObject({ status: 'delivered', delivered_at: new Date('2026-03-01T11:03:00Z') });
  });

  it("Yeastar 30032: status 1 confirms 'sent'; status 2 fails the row with send_error, and an opt-out suppresses", async () => {
    const number = '+14155550204';
    const id = await insertRecipient(db.pool, yeastarCampaign, { number, providerMessageId: '10273' });
    const report = (status: number, extra: Record<string, unknown> = {}) => ({
      type: 30032,
      sn: 'SN1',
      msg: JSON.stringify({ session_id: 3077, msg_id: 10273, delivery_status: status, send_time: secs('2026-03-01T11:00:00Z'), ...extra }),
    });
    expect((await post({ provider: 'yeastar', channelId: yeastarA, body: report(1) })).status).toBe(200);
    expect(await ledgerRow(db.pool, id)).toMatchObject({ status: 'sent' });
    await post({ provider: 'yeastar', channelId: yeastarA, body: report(2, { send_error: 'send_fail', send_error_msg: '(#131050) User has stopped marketing messages' }) });
    expect(await ledgerRow(db.pool, id)).toMatchObject({
      status: 'failed',
      last_error_code: 'send_fail',
      last_error_message: '(#131050) User has stopped marketing messages',
      reason: 'receipt_permanent',
      failed_at: NOW,
    });
    expect(await suppressionsOf(db.pool, number)).toEqual([{ channel_id: yeastarA, reason: 'provider_opt_out:send_fail' }]);
  });

  it("only moves rows of the signing channel's campaigns", async () => {
    const otherCampaign = await insertCampaign(db.pool, yeastarB);
    const mine = await insertRecipient(db.pool, yeastarCampaign, { number: '+14155550205', providerMessageId: '777' });
    const theirs = await insertRecipient(db.pool, otherCampaign, { number: '+14155550205', providerMessageId: '777' });
    await post({ provider: 'yeastar', channelId: yeastarA, body: { type: 30032, sn: 'S', msg: { msg_id: 777, delivery_status: 2, send_error: 'invalid_phone_number' } } });
    expect((await ledgerRow(db.pool, mine)).status).toBe('failed');
    expect((await ledgerRow(db.pool, theirs)).status).toBe('sent');
  });

  it('an unknown message id, a still-sending report and a bulk failure are acknowledged with 200', async () => {
    const before = await snapshot(db.pool);
    expect(await post({ provider: 'connectly', channelId: connectly, body: connectlyStatus('nobody-sent-this', 'read') })).toEqual({ status: 200, json: { ok: true } });
    expect((await post({ provider: 'yeastar', body: { type: 30032, sn: 'S', msg: { msg_id: 1, delivery_status: 0 } } })).status).toBe(200);
    expect((await post({ provider: 'yeastar', body: { type: 30030, sn: 'S', msg: { task_id: 203, total: 2, fail_count: 2 } } })).status).toBe(200);
    expect(await snapshot(db.pool)).toEqual(before);
  });
});

describe('refused webhooks change nothing', () => {
  const body = yeastarInbound('+14155550301', 'STOP', '2026-03-01T10:00:00Z');

  it.each([
    ['no signature', { signature: null }],
    ['a wrong signature', { secret: 'guess' }],
    ['a signature of the wrong length', { signature: 'c2hvcnQ=' }],
    ["another channel's secret", { secret: 'secret-b', channelId: 'A' }],
    ['a channel without a webhookSecret', { channelId: 'NO_SECRET', secret: '' }],
  ])('401 for %s', async (_name, overrides: { signature?: string | null; secret?: string; channelId?: string }) => {
    const before = await snapshot(db.pool);
    const channelId = overrides.channelId === 'A' ? yeastarA : overrides.channelId === 'NO_SECRET' ? yeastarNoSecret : undefined;
    const res = await post({ provider: 'yeastar', body, ...overrides, channelId });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: 'WEBHOOK_SIGNATURE_INVALID', message: expect.any(String) } });
    expect(await snapshot(db.pool)).toEqual(before);
  });

  it('a Connectly signature in the Yeastar header is refused', async () => {
    const res = await post({ provider: 'yeastar', body, secret: 'secret-c' });
    expect(res.status).toBe(401);
  });

  it('404 for a channel id that is no channel of that provider', async () => {
    expect((await post({ provider: 'yeastar', channelId: connectly, body })).status).toBe(404);
    expect((await post({ provider: 'yeastar', channelId: 'not-a-uuid', body })).json).toMatchObject({ error: { code: 'CHANNEL_NOT_FOUND' } });
  });

  it('400 for a signed body that is not JSON or not an envelope; 413 above 1 MiB', async () => {
    const before = await snapshot(db.pool);
    expect(await post({ provider: 'yeastar', body: undefined, raw: '{"type": 30031,' })).toEqual({
      status: 400,
      json: { error: { code: 'INVALID_JSON', message: 'the body is not valid JSON' } },
    });
    expect((await post({ provider: 'yeastar', body: { sn: 'S' } })).json).toMatchObject({ error: { code: 'WEBHOOK_PAYLOAD_INVALID' } });
    expect((await post({ provider: 'connectly', body: [1, 2] })).status).toBe(400);
    const huge = JSON.stringify({ type: 30031, msg: { msg_body: 'x'.repeat(1024 * 1024) } });
    expect((await post({ provider: 'yeastar', body: undefined, raw: huge })).json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await snapshot(db.pool)).toEqual(before);
  });

  it('verifies the raw bytes whatever the content type says', async () => {
    const number = '+14155550302';
    const res = await post({ provider: 'yeastar', channelId: yeastarA, body: yeastarInbound(number, 'hi', '2026-03-01T10:00:00Z'), contentType: 'text/plain' });
    expect(res.status).toBe(200);
    expect(await windowOf(db.pool, yeastarA, number)).toBeDefined();
  });
});
