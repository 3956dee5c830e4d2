/**
 * The delivery rules that decide *what* goes out, end to end through the simulators: the WhatsApp
 * 24-hour window with template fallback (from our window table, and from the provider's answer),
 * suppression, an opted-out answer, the Messenger tag rule, and campaign expiry.
 */
import { jest } from '@jest/globals';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, startYeastarSimulator, type ConnectlySimulator, type YeastarSimulator } from '../../simulators/index.js';
import {
  campaignStatus,
  insertCampaign,
  insertChannel,
  insertRecipients,
  openWindow,
  recipientsOf,
  startRuntime,
  testNumber,
  waitFor,
  waitForCampaignCompleted,
} from '../dispatch/fixtures.js';

jest.setTimeout(90_000);

const orderUpdate = {
  name: 'order_update',
  language: { code: 'en' },
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'customer' }, { type: 'TEXT', text: 'order' }] }],
};

describe('delivery content rules', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connectly: ConnectlySimulator;
  let yeastar: YeastarSimulator;
  let runtime: WorkerRuntime;
  let whatsapp: string;
  let messenger: string;

  beforeAll(async () => {
    db = await createTestDatabase('delivery_content');
    redis = await createTestRedis('delivery-content');
    connectly = await startConnectlySimulator();
    yeastar = await startYeastarSimulator();
    whatsapp = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'whatsapp',
      senderId: '+15550191001',
      settings: { businessId: connectly.businessId, baseUrl: connectly.url },
      credentials: { apiKey: connectly.apiKey },
    });
    messenger = await insertChannel(db.pool, {
      provider: 'yeastar',
      kind: 'facebook',
      senderId: '1029384756',
      settings: { baseUrl: yeastar.url, channelType: 'facebook' },
      credentials: { clientId: yeastar.clientId, clientSecret: yeastar.clientSecret },
    });
    runtime = await startRuntime(db, redis, 20);
  });

  afterAll(async () => {
    await runtime?.close();
    await Promise.all([connectly?.close(), yeastar?.close()]);
    await redis?.close();
    await db?.close();
  });

  it('sends session inside the window, the template outside it or when the provider refuses, and never to suppressed numbers', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId: whatsapp, content: 'Hi {{name}}', msgParam: orderUpdate });
    await insertRecipients(db.pool, campaignId, 6);
    // 0: window open (ours and the provider's) → session.
    await openWindow(db.pool, whatsapp, testNumber(0));
    connectly.recordInbound(testNumber(0));
    // 1: no inbound message → template, without trying the session message.
    // 2: our table says open, the provider says closed → session refused → template at once.
    await openWindow(db.pool, whatsapp, testNumber(2));
    // 3: suppressed on this channel; 4: suppressed everywhere.
    await db.pool.query(`INSERT INTO suppressions (channel_id, number, reason) VALUES ($1, $2, 'test'), (NULL, $3, 'test')`, [whatsapp, testNumber(3), testNumber(4)]);
    // 5: the provider says the customer opted out.
    connectly.faults.failNumber(testNumber(5), {
      status: 400,
      body: { message: 'the customer opted out', type: 'ERROR_TYPE_FAILED_PRECONDITION', code: 'ERROR_CODE_CUSTOMER_OPTED_OUT' },
    });
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);

    const rows = new Map((await recipientsOf(db.pool, campaignId)).map((r) => [r.number, r]));
    expect(rows.get(testNumber(0))).toMatchObject({ status: 'sent', sent_content: 'session', reason: null });
    expect(rows.get(testNumber(1))).toMatchObject({ status: 'sent', sent_content: 'template', reason: 'window_closed', attempts: 1 });
    expect(rows.get(testNumber(2))).toMatchObject({ status: 'sent', sent_content: 'template', reason: 'window_closed', attempts: 1 });
    expect(rows.get(testNumber(3))).toMatchObject({ status: 'skipped', reason: 'suppressed' });
    expect(rows.get(testNumber(4))).toMatchObject({ status: 'skipped', reason: 'suppressed' });
    expect(rows.get(testNumber(5))).toMatchObject({ status: 'failed', reason: 'provider_opted_out' });
    const { rows: suppressed } = await db.pool.query('SELECT 1 FROM suppressions WHERE channel_id = $1 AND number = $2', [whatsapp, testNumber(5)]);
    expect(suppressed).toHaveLength(1);

    const accepted = connectly.acceptedSends();
    const key = (i: number): string => `cd-${campaignId}-${rows.get(testNumber(i))!.id}`;
    expect(accepted.map((s) => [s.to, s.kind, s.idempotencyKey]).sort()).toEqual(
      [
        [testNumber(0), 'session', key(0)],
        [testNumber(1), 'template', `${key(1)}-t`],
        [testNumber(2), 'template', `${key(2)}-t`],
      ].sort(),
    );
    // Number 2's session message was tried (and refused); number 1's never was; 3 and 4 never reached the provider.
    const tried = connectly.requests.map((r) => JSON.stringify(r.body));
    expect(tried.filter((b) => b.includes(testNumber(2)))).toHaveLength(2);
    expect(tried.filter((b) => b.includes(testNumber(1)))).toHaveLength(1);
    expect(tried.some((b) => b.includes(testNumber(3)) || b.includes(testNumber(4)))).toBe(false);
  });

  it('sends Messenger messages outside the window only with the campaign tag', async () => {
    const tagged = await insertCampaign(db.pool, { channelId: messenger, content: 'Your order {{name}} shipped', messageTag: 'POST_PURCHASE_UPDATE' });
    await insertRecipients(db.pool, tagged, 2, 100);
    await openWindow(db.pool, messenger, testNumber(100));
    yeastar.recordInbound(testNumber(100));
    const untagged = await insertCampaign(db.pool, { channelId: messenger, content: 'Hello {{name}}' });
    await insertRecipients(db.pool, untagged, 1, 101);
    await enqueueLaunch(runtime.queues, tagged);
    await enqueueLaunch(runtime.queues, untagged);
    await waitForCampaignCompleted(db.pool, tagged);
    await waitForCampaignCompleted(db.pool, untagged);

    const sends = new Map(yeastar.acceptedSends().map((s) => [s.idempotencyKey, s]));
    const [inWindow, outside] = await recipientsOf(db.pool, tagged);
    expect(inWindow).toMatchObject({ status: 'sent', sent_content: 'session' });
    expect(outside).toMatchObject({ status: 'sent', sent_content: 'session' });
    expect((sends.get(`cd-${tagged}-${inWindow!.id}`)?.body as { tag?: string }).tag).toBeUndefined();
    expect((sends.get(`cd-${tagged}-${outside!.id}`)?.body as { tag?: string }).tag).toBe('POST_PURCHASE_UPDATE');
    expect(await recipientsOf(db.pool, untagged)).toMatchObject([{ status: 'skipped', reason: 'window_closed_no_tag' }]);
  });

  it('expires the recipients of a campaign past its expiry instead of sending them late', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId: whatsapp, contentType: 'template', msgParam: orderUpdate, expiresAt: new Date(Date.now() - 1_000) });
    await insertRecipients(db.pool, campaignId, 5, 200);
    const before = connectly.acceptedSends().length;
    await enqueueLaunch(runtime.queues, campaignId);
    await waitFor('the campaign to end', async () => (await campaignStatus(db.pool, campaignId)) === 'expired');
    expect((await recipientsOf(db.pool, campaignId)).every((r) => r.status === 'expired' && r.reason === 'campaign_expired' && r.attempts === 0)).toBe(true);
    expect(connectly.acceptedSends()).toHaveLength(before);
  });
});
