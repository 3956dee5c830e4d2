/**
 * End to end through the Connectly simulator: a template campaign to many recipients, session
 * messages inside and outside the 24-hour window, and a number Connectly rejects.
 */
import { jest } from '@jest/globals';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import {
  insertCampaign,
  insertChannel,
  insertRecipients,
  openWindow,
  recipientsOf,
  startRuntime,
  testNumber,
  waitForCampaignCompleted,
} from './fixtures.js';

const COUNT = 1_500;
jest.setTimeout(120_000);

const orderUpdate = {
  name: 'order_update',
  language: { code: 'en' },
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'customer' }, { type: 'TEXT', text: 'order' }] }],
};

describe('dispatch through Connectly', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let runtime: WorkerRuntime;
  let channelId: string;

  beforeAll(async () => {
    db = await createTestDatabase('dispatch_connectly');
    redis = await createTestRedis('dispatch-connectly');
    sim = await startConnectlySimulator();
    channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'whatsapp',
      senderId: '+15550193510',
      // The real account allows 200/s; these tests are about content, not rate limits.
      settings: { businessId: sim.businessId, baseUrl: sim.url, accountRatePerSecond: 1000 },
      credentials: { apiKey: sim.apiKey },
    });
    runtime = await startRuntime(db, redis);
  });

  afterAll(async () => {
    await runtime?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  beforeEach(() => sim.reset());

  it(`sends a template to each of ${COUNT} recipients exactly once, with their variables`, async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, contentType: 'template', msgParam: orderUpdate });
    await insertRecipients(db.pool, campaignId, COUNT, 0, `jsonb_build_object('1', 'N' || g, '2', 'ORD-' || g)`);
    const started = Date.now();
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);
    const seconds = (Date.now() - started) / 1000;
    console.info(`connectly: ${COUNT} sends in ${seconds.toFixed(2)} s (${Math.round(COUNT / seconds)}/s)`);

    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows).toHaveLength(COUNT);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'sent', attempts: 1, sent_content: 'template' });
      expect(row.provider_message_id).toEqual(expect.any(String));
    }
    const accepted = sim.acceptedSends();
    expect(accepted).toHaveLength(COUNT);
    expect(new Set(accepted.map((s) => s.to)).size).toBe(COUNT);
    expect(sim.duplicateSends()).toBe(0);
    const byNumber = new Map(accepted.map((s) => [s.to, s]));
    for (const row of rows) expect(byNumber.get(row.number)?.messageId).toBe(row.provider_message_id);
    expect(byNumber.get(testNumber(3))?.body).toMatchObject({
      number: testNumber(3),
      templateName: 'order_update',
      parameters: [
        { name: 'body_1', value: 'N3' },
        { name: 'body_2', value: 'ORD-3' },
      ],
    });
  });

  it('sends session text inside the window, skips it outside (no template), and fails a rejected number', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, 6);
    for (const i of [0, 1, 2, 3, 4]) {
      sim.recordInbound(testNumber(i));
      await openWindow(db.pool, channelId, testNumber(i));
    }
    sim.faults.failNumber(testNumber(4), {
      status: 400,
      body: { message: 'the number is not on WhatsApp', type: 'ERROR_TYPE_INVALID_ARGUMENT', code: 'ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID' },
    });
    sim.faults.failNext(2, { status: 503 });
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);

    const rows = await recipientsOf(db.pool, campaignId);
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    for (const i of [0, 1, 2, 3]) expect(byNumber.get(testNumber(i))).toMatchObject({ status: 'sent', sent_content: 'session' });
    expect(byNumber.get(testNumber(4))).toMatchObject({
      status: 'failed',
      last_error_code: 'ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID',
      last_error_message: 'the number is not on WhatsApp',
    });
    // No inbound message from this one: the window is closed and the campaign has no template.
    expect(byNumber.get(testNumber(5))).toMatchObject({ status: 'skipped', reason: 'window_closed_no_template' });

    const hit503 = new Set(sim.requests.filter((r) => r.status === 503).map((r) => (r.body as { recipient: { id: string } }).recipient.id));
    expect(hit503.size).toBeGreaterThanOrEqual(1);
    for (const number of hit503) expect(byNumber.get(number)?.attempts).toBeGreaterThan(1);
    expect(sim.acceptedSends().map((s) => s.to).sort()).toEqual([0, 1, 2, 3].map(testNumber));
    expect(sim.duplicateSends()).toBe(0);
  });
});
