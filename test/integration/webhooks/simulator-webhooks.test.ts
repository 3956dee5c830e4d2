/**
 * End to end: the provider simulators post signed webhooks to a real listening Fastify instance
 * running only the webhook plugin. Sends go through the real provider clients; the ledger rows are
 * written directly, as the dispatch would (sending, then sent with the provider's id), before the
 * simulators' held receipts are flushed — no sleeps.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { createConnectlyClient, type ConnectlyClient } from '../../../src/providers/connectly/client.js';
import type { ChannelSpec } from '../../../src/providers/types.js';
import { createYeastarClient, type YeastarClient } from '../../../src/providers/yeastar/client.js';
import { registerWebhookRoutes } from '../../../src/webhooks/index.js';
import { createMemorySharedStore } from '../../fixtures/memory-shared-store.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startConnectlySimulator, startYeastarSimulator, type ConnectlySimulator, type YeastarSimulator } from '../../simulators/index.js';
import { insertCampaign, insertChannel, insertRecipient, ledgerRow, setProviderMessageId, snapshot, suppressionsOf, windowOf } from './webhook-fixtures.js';

const log = testLogger();
let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let yeastarSim: YeastarSimulator;
let connectlySim: ConnectlySimulator;
let yeastar: YeastarClient;
let connectly: ConnectlyClient;
let yeastarChannel: string;
let connectlyChannel: string;

beforeAll(async () => {
  db = await createTestDatabase('webhook_sims');
  app = Fastify();
  await registerWebhookRoutes(app, { pool: db.pool, prisma: db.prisma, log });
  // A route outside the plugin: its JSON must still be parsed as usual.
  app.post('/echo', async (request) => ({ got: request.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // Yeastar posts to the channel's own URL: the row comes first, its settings once the simulator runs.
  yeastarChannel = await insertChannel(db.pool, { provider: 'yeastar', kind: 'whatsapp', senderId: '+15550193510', credentials: { webhookSecret: 'y-secret' } });
  yeastarSim = await startYeastarSimulator({
    webhookUrl: `${base}/v1/webhooks/yeastar/${yeastarChannel}`,
    webhookSecret: 'y-secret',
    receipts: 'sent',
    webhookDelivery: 'manual',
  });
  const yeastarSpec: ChannelSpec = {
    id: yeastarChannel,
    provider: 'yeastar',
    kind: 'whatsapp',
    senderId: '+15550193510',
    settings: { baseUrl: yeastarSim.url, channelType: 'whatsapp' },
    credentials: { clientId: yeastarSim.clientId, clientSecret: yeastarSim.clientSecret, webhookSecret: 'y-secret' },
  };
  await db.pool.query(`UPDATE channels SET settings = $2, credentials = $3 WHERE id = $1`, [yeastarChannel, yeastarSpec.settings, yeastarSpec.credentials]);
  yeastar = createYeastarClient({ channel: yeastarSpec, store: createMemorySharedStore(), userAgent: 'cd-test/1', log });

  // Connectly posts to the provider URL without a channel id: the signature picks the channel.
  connectlySim = await startConnectlySimulator({ webhookUrl: `${base}/v1/webhooks/connectly`, webhookSecret: 'c-secret', receipts: 'read', webhookDelivery: 'manual' });
  const connectlySpec: ChannelSpec = {
    id: '',
    provider: 'connectly',
    kind: 'whatsapp',
    senderId: '+14151111234',
    settings: { baseUrl: connectlySim.url, businessId: connectlySim.businessId },
    credentials: { apiKey: connectlySim.apiKey, webhookSecret: 'c-secret' },
  };
  connectlyChannel = await insertChannel(db.pool, connectlySpec);
  connectly = createConnectlyClient({ channel: { ...connectlySpec, id: connectlyChannel }, userAgent: 'cd-test/1', log });
});
afterAll(async () => {
  await Promise.all([yeastar.close(), connectly.close()]);
  await Promise.all([yeastarSim.close(), connectlySim.close()]);
  await app.close();
  await db.close();
});

/** A ledger row claimed by the dispatch (status sending, no provider id yet). */
async function claimedRow(channelId: string, number: string): Promise<string> {
  return insertRecipient(db.pool, await insertCampaign(db.pool, channelId), { number, status: 'sending' });
}

describe('connectly simulator webhooks', () => {
  it('an inbound message opens the window in our database and at the simulator', async () => {
    const delivery = await connectlySim.sendInbound('+16044441111', 'hello');
    expect(delivery).toMatchObject({ status: 200, response: '{"ok":true}' });
    expect(await windowOf(db.pool, connectlyChannel, '+16044441111')).toBeDefined();
    // The simulator's window is open too, so a session message is accepted.
    await expect(connectly.send({ idempotencyKey: 'win-1', to: '+16044441111', content: { kind: 'text', text: 'hi' } })).resolves.toBeDefined();
    await connectlySim.flushWebhooks();
  });

  it('receipts after a real send move the ledger row to read', async () => {
    const number = '+16044441112';
    await connectlySim.sendInbound(number, 'hi');
    const row = await claimedRow(connectlyChannel, number);
    const { providerMessageId } = await connectly.send({
      idempotencyKey: 'rcpt-1',
      to: number,
      content: { kind: 'reply_buttons', text: 'Coming?', buttons: [{ id: 'y', text: 'Yes' }, { id: 'n', text: 'No' }] },
    });
    expect(connectlySim.pendingWebhooks()).toBe(1); // one chain: sent → delivered → read, held
    await setProviderMessageId(db.pool, row, providerMessageId);
    await connectlySim.flushWebhooks();
    expect(connectlySim.pendingWebhooks()).toBe(0);
    const statuses = connectlySim.webhookDeliveries().filter((d) => JSON.stringify(d.body).includes(providerMessageId));
    expect(statuses.map((d) => [(d.body as { statusUpdate: { status: string } }).statusUpdate.status, d.status])).toEqual([
      ['sent', 200],
      ['delivered', 200],
      ['read', 200],
    ]);
    expect(await ledgerRow(db.pool, row)).toMatchObject({ status: 'read', delivered_at: expect.any(Date), read_at: expect.any(Date) });
  });

  it('a delivery_failed receipt fails the row with the provider code', async () => {
    const number = '+16044441113';
    await connectlySim.sendInbound(number, 'hi');
    connectlySim.failReceipt(number, { code: 'ERROR_CODE_CUSTOMER_OPTED_OUT', message: 'the customer opted out' });
    const row = await claimedRow(connectlyChannel, number);
    const { providerMessageId } = await connectly.send({ idempotencyKey: 'rcpt-2', to: number, content: { kind: 'location', latitude: 1, longitude: 2 } });
    await setProviderMessageId(db.pool, row, providerMessageId);
    await connectlySim.flushWebhooks();
    expect(await ledgerRow(db.pool, row)).toMatchObject({ status: 'failed', last_error_code: 'ERROR_CODE_CUSTOMER_OPTED_OUT', reason: 'receipt_permanent' });
    expect(await suppressionsOf(db.pool, number)).toEqual([{ channel_id: connectlyChannel, reason: 'provider_opt_out:ERROR_CODE_CUSTOMER_OPTED_OUT' }]);
  });

  it("the control route's inbound with a text posts the webhook too (for the demo and ops)", async () => {
    const res = await fetch(`${connectlySim.url}/__sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+16044441114', text: 'STOP' }),
    });
    expect(res.status).toBe(200);
    await connectlySim.flushWebhooks();
    expect(await suppressionsOf(db.pool, '+16044441114')).toEqual([{ channel_id: connectlyChannel, reason: 'opt_out:STOP' }]);
  });

  it('a webhook signed with the wrong secret is answered 401 and changes nothing', async () => {
    const before = await snapshot(db.pool);
    const body = { topic: 'messages', sender: { id: '+16044441119' }, message: { text: 'STOP' } };
    expect(await connectlySim.sendRawWebhook(body, { signature: 'bm90IHRoZSBzaWduYXR1cmUgb2YgdGhpcyBib2R5IQ==' })).toMatchObject({ status: 401 });
    expect(await connectlySim.sendRawWebhook(body, { signature: null })).toMatchObject({ status: 401 });
    expect(await snapshot(db.pool)).toEqual(before);
  });
});

describe('yeastar simulator webhooks', () => {
  it('30032 "sent" leaves the row sent; a failed report fails it with send_error', async () => {
    const ok = await claimedRow(yeastarChannel, '+14155552671');
    const bad = await claimedRow(yeastarChannel, '+14155552672');
    yeastarSim.failReceipt('+14155552672', { send_error: 'invalid_phone_number', send_error_msg: 'not a WhatsApp user' });
    const template = { name: 'hello_world', language: { code: 'en_US' } };
    const first = await yeastar.send({ idempotencyKey: 'y-1', to: '+14155552671', content: { kind: 'template', template } });
    const second = await yeastar.send({ idempotencyKey: 'y-2', to: '+14155552672', content: { kind: 'template', template } });
    await setProviderMessageId(db.pool, ok, first.providerMessageId);
    await setProviderMessageId(db.pool, bad, second.providerMessageId);
    await yeastarSim.flushWebhooks();
    expect(yeastarSim.webhookDeliveries().map((d) => d.status)).toEqual([200, 200]);
    expect(await ledgerRow(db.pool, ok)).toMatchObject({ status: 'sent', failed_at: null });
    expect(await ledgerRow(db.pool, bad)).toMatchObject({
      status: 'failed',
      last_error_code: 'invalid_phone_number',
      last_error_message: 'not a WhatsApp user',
      reason: 'receipt_permanent',
    });
  });

  it('an inbound STOP suppresses the number on the channel, START lifts it', async () => {
    expect(await yeastarSim.sendInbound('+14155552673', 'STOP')).toMatchObject({ status: 200 });
    expect(await suppressionsOf(db.pool, '+14155552673')).toEqual([{ channel_id: yeastarChannel, reason: 'opt_out:STOP' }]);
    expect(await windowOf(db.pool, yeastarChannel, '+14155552673')).toBeDefined();
    await yeastarSim.sendInbound('+14155552673', 'Start');
    expect(await suppressionsOf(db.pool, '+14155552673')).toEqual([]);
  });

  it('a malformed body with a valid signature is answered 400', async () => {
    expect(await yeastarSim.sendRawWebhook(undefined, { rawBody: '{"type":30031' })).toMatchObject({ status: 400 });
  });
});

describe('automatic delivery', () => {
  it('posts receipts in the background; flushWebhooks waits for them', async () => {
    const sim = await startConnectlySimulator({ webhookUrl: `${base}/v1/webhooks/connectly`, webhookSecret: 'c-secret', receipts: 'delivered', windowsOpen: true });
    const client = createConnectlyClient({
      channel: { id: 'auto', provider: 'connectly', kind: 'whatsapp', senderId: '+14151111234', settings: { baseUrl: sim.url, businessId: sim.businessId }, credentials: { apiKey: sim.apiKey } },
      userAgent: 'cd-test/1',
      log,
    });
    await client.send({ idempotencyKey: 'auto-1', to: '+16044441120', content: { kind: 'text', text: 'hi' } });
    await sim.flushWebhooks();
    expect(sim.pendingWebhooks()).toBe(0);
    expect(sim.webhookDeliveries().map((d) => d.status)).toEqual([200, 200]); // unknown id: acknowledged
    await client.close();
    await sim.close();
  });

  it('a delayed receipt not yet posted is dropped at close, without holding the process', async () => {
    const sim = await startConnectlySimulator({ webhookUrl: `${base}/v1/webhooks/connectly`, webhookSecret: 'c-secret', receipts: 'read', receiptDelayMs: 600_000, windowsOpen: true });
    const client = createConnectlyClient({
      channel: { id: 'delayed', provider: 'connectly', kind: 'whatsapp', senderId: '+14151111234', settings: { baseUrl: sim.url, businessId: sim.businessId }, credentials: { apiKey: sim.apiKey } },
      userAgent: 'cd-test/1',
      log,
    });
    await client.send({ idempotencyKey: 'delayed-1', to: '+16044441121', content: { kind: 'text', text: 'hi' } });
    expect(sim.pendingWebhooks()).toBe(1);
    await client.close();
    await sim.close();
    expect(sim.webhookDeliveries()).toEqual([]);
  });
});

it('routes outside the webhook plugin keep the ordinary JSON parser', async () => {
  const res = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
  expect(res.json()).toEqual({ got: { a: 1 } });
});
