/**
 * Webhooks through the full app: the real API listens, channels are created through it with a
 * webhookSecret, campaigns are dispatched by the in-process workers, and the simulators post their
 * signed events to /v1/webhooks/<provider>/<channel id>. Receipts are held by the simulator until
 * the campaign is in the ledger (manual delivery), then flushed — no sleeps.
 */
import { jest } from '@jest/globals';
import { startConnectlySimulator, startYeastarSimulator, type ConnectlySimulator, type YeastarSimulator } from '../../simulators/index.js';
import { snapshot, suppressionsOf, windowOf } from '../webhooks/webhook-fixtures.js';
import { createChannel, createE2e, freePort, ledger, numberList, runCampaign, type E2e } from './e2e-harness.js';

jest.setTimeout(120_000);

const CONNECTLY_SECRET = 'connectly-webhook-secret-0001';
const YEASTAR_SECRET = 'yeastar-webhook-secret-000001';

let e2e: E2e;
let connectly: ConnectlySimulator;
let yeastar: YeastarSimulator;
let connectlyChannel: string;
let yeastarChannel: string;

beforeAll(async () => {
  e2e = await createE2e('e2e_webhooks');
  const base = await e2e.listen();
  // Each simulator must know its channel's id (its webhook URL) when it starts, and the channel
  // its simulator's URL when it is created: the simulator's port is chosen first.
  const connectlyPort = await freePort();
  connectlyChannel = await createChannel(e2e, {
    provider: 'connectly',
    kind: 'whatsapp',
    sender_id: '+14151111234',
    settings: { businessId: 'sim-business', baseUrl: `http://127.0.0.1:${connectlyPort}` },
    credentials: { apiKey: 'sim-key', webhookSecret: CONNECTLY_SECRET },
  });
  connectly = await startConnectlySimulator({
    port: connectlyPort,
    webhookUrl: `${base}/v1/webhooks/connectly/${connectlyChannel}`,
    webhookSecret: CONNECTLY_SECRET,
    receipts: 'read',
    webhookDelivery: 'manual',
  });
  const yeastarPort = await freePort();
  yeastarChannel = await createChannel(e2e, {
    provider: 'yeastar',
    kind: 'whatsapp',
    sender_id: '+15550193510',
    settings: { baseUrl: `http://127.0.0.1:${yeastarPort}/openapi/v1.0`, channelType: 'whatsapp' },
    credentials: { clientId: 'sim-client', clientSecret: 'sim-secret', webhookSecret: YEASTAR_SECRET },
  });
  yeastar = await startYeastarSimulator({
    port: yeastarPort,
    webhookUrl: `${base}/v1/webhooks/yeastar/${yeastarChannel}`,
    webhookSecret: YEASTAR_SECRET,
    webhookDelivery: 'manual',
  });
});

afterAll(async () => {
  await connectly?.close();
  await yeastar?.close();
  await e2e?.close();
});

it('never shows a channel’s webhookSecret, and refuses one shorter than 16 characters', async () => {
  const list = await e2e.request({ method: 'GET', url: '/v1/channels' });
  expect(list.body).not.toContain(CONNECTLY_SECRET);
  expect(list.body).not.toContain('webhookSecret');
  const short = await e2e.request({
    method: 'POST',
    url: '/v1/channels',
    payload: { name: 'x', provider: 'connectly', kind: 'whatsapp', sender_id: '+1', settings: { businessId: 'b' }, credentials: { apiKey: 'k', webhookSecret: 'short' } },
  });
  expect(short.statusCode).toBe(400);
  expect(short.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'credentials.webhookSecret' } });
});

it('receipts: after the flush every recipient of the campaign is read, with delivered_at and read_at', async () => {
  const list = numberList(3, () => ({ '1': 'Ann', '2': 'A-1' }));
  const msgParam = { name: 'order_update', language: { code: 'en' }, parameter_format: 'POSITIONAL', components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: '{{1}}' }, { type: 'TEXT', text: '{{2}}' }] }] };
  const id = await runCampaign(e2e, { channel_id: connectlyChannel, content_type: 'template', msg_param: msgParam, number_list: list });
  expect((await ledger(e2e, id)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);

  await connectly.flushWebhooks();
  expect(connectly.webhookDeliveries().map((d) => d.status)).toEqual(Array(9).fill(200)); // sent, delivered, read × 3
  for (const row of await ledger(e2e, id)) {
    expect(row.status).toBe('read');
    expect(row.delivered_at).toBeInstanceOf(Date);
    expect(row.read_at).toBeInstanceOf(Date);
  }
});

it.each([
  ['connectly', () => connectly, () => connectlyChannel, 100],
  ['yeastar', () => yeastar, () => yeastarChannel, 110],
] as const)('%s inbound: STOP suppresses the number, "hi" opens its window', async (_name, sim, channel, first) => {
  const [stopper, talker] = numberList(2, undefined, first).map((n) => n.number) as [string, string];
  expect((await sim().sendInbound(stopper, 'STOP')).status).toBe(200);
  expect(await suppressionsOf(e2e.db.pool, stopper)).toEqual([expect.objectContaining({ channel_id: channel() })]);
  expect((await sim().sendInbound(talker, 'hi')).status).toBe(200);
  expect(await windowOf(e2e.db.pool, channel(), talker)).toBeInstanceOf(Date);
});

it.each([
  ['connectly', () => connectly],
  ['yeastar', () => yeastar],
] as const)('%s: a wrongly signed webhook gets 401 and changes nothing', async (_name, sim) => {
  const before = await snapshot(e2e.db.pool);
  const number = numberList(1, undefined, 200)[0]!.number;
  const event =
    _name === 'connectly'
      ? { timestamp: new Date().toISOString(), sender: { id: number, channelType: 'whatsapp' }, recipient: { id: '+14151111234', channelType: 'whatsapp' }, message: { text: 'STOP' } }
      : { type: 30031, sn: 'SIM0000000001', msg: JSON.stringify({ session_id: 1, msg_id: 1, sender: number, msg_type: 0, msg_body: 'STOP', receive_time: Math.floor(Date.now() / 1000) }) };
  const forged = await sim().sendRawWebhook(event, { signature: Buffer.from('not the signature').toString('base64') });
  expect(forged.status).toBe(401);
  expect(JSON.parse(forged.response)).toMatchObject({ error: { code: 'WEBHOOK_SIGNATURE_INVALID' } });
  const unsigned = await sim().sendRawWebhook(event, { signature: null });
  expect(unsigned.status).toBe(401);
  expect(await snapshot(e2e.db.pool)).toEqual(before);
});
