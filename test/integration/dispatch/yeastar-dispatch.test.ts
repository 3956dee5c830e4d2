/**
 * End to end through the Yeastar simulator: launch → fan-out → sends → ledger → completion, plus
 * the failure classes (permanent per number, 503 bursts, 429 with Retry-After).
 */
import { jest } from '@jest/globals';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
import {
  insertCampaign,
  insertChannel,
  insertRecipients,
  recipientsOf,
  startRuntime,
  testNumber,
  waitForCampaignCompleted,
} from './fixtures.js';

const COUNT = 1_500;
jest.setTimeout(120_000);

describe('dispatch through Yeastar', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: YeastarSimulator;
  let runtime: WorkerRuntime;
  let channelId: string;

  beforeAll(async () => {
    db = await createTestDatabase('dispatch_yeastar');
    redis = await createTestRedis('dispatch-yeastar');
    sim = await startYeastarSimulator();
    channelId = await insertChannel(db.pool, {
      provider: 'yeastar',
      kind: 'sms',
      senderId: '+15550193510',
      settings: { baseUrl: sim.url, channelType: 'twilio' },
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
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

  it(`sends every one of ${COUNT} recipients exactly once and completes the campaign`, async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hello {{name}}, sale today' });
    await insertRecipients(db.pool, campaignId, COUNT);
    const started = Date.now();
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);
    const seconds = (Date.now() - started) / 1000;
    console.info(`yeastar: ${COUNT} sends in ${seconds.toFixed(2)} s (${Math.round(COUNT / seconds)}/s)`);

    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows).toHaveLength(COUNT);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'sent', attempts: 1, sent_content: 'session', last_error_code: null });
      expect(row.provider_message_id).toEqual(expect.any(String));
    }
    const accepted = sim.acceptedSends();
    expect(accepted).toHaveLength(COUNT);
    expect(new Set(accepted.map((s) => s.to)).size).toBe(COUNT);
    expect(sim.duplicateSends()).toBe(0);
    // The ledger's message ids are the simulator's, and each send carried its deterministic key.
    const byNumber = new Map(accepted.map((s) => [s.to, s]));
    for (const row of rows) {
      const send = byNumber.get(row.number);
      expect(send?.messageId).toBe(row.provider_message_id);
      expect(send?.idempotencyKey).toBe(`cd-${campaignId}-${row.id}`);
    }
    const first = byNumber.get(testNumber(0))?.body as Record<string, unknown>;
    expect(first).toMatchObject({ msg_body: 'Hello N0, sale today', to: testNumber(0), did_number: '+15550193510' });

    const { rows: campaign } = await db.pool.query(
      'SELECT launched_at, started_at, finished_at, fan_out_completed_at FROM campaigns WHERE id = $1',
      [campaignId],
    );
    expect(campaign[0]).toMatchObject({
      launched_at: expect.any(Date),
      started_at: expect.any(Date),
      finished_at: expect.any(Date),
      fan_out_completed_at: expect.any(Date),
    });
  });

  it('fails a number the provider rejects for good, retries a 503 burst, and completes', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, 60);
    const bad = testNumber(7);
    sim.faults.failNumber(bad, {
      body: { errcode: -1, errmsg: 'FAILURE', send_error: 'invalid_phone_number', send_error_msg: 'the number does not exist' },
    });
    sim.faults.failNext(2, { status: 503 });
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);

    const rows = await recipientsOf(db.pool, campaignId);
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(1);
    // Which requests the two scripted 503s hit depends on arrival order; the rejected number may
    // take one first. Its permanent answer then ends it at once: one attempt more than its 503s.
    const answered503 = sim.requests.filter((r) => r.status === 503).map((r) => (r.body as { to: string }).to);
    expect(failed[0]).toMatchObject({
      number: bad,
      last_error_code: 'invalid_phone_number',
      last_error_message: 'the number does not exist',
      provider_message_id: null,
      attempts: 1 + answered503.filter((to) => to === bad).length,
    });
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(59);

    const hit503 = new Set(answered503.filter((to) => to !== bad));
    expect(answered503.length).toBeGreaterThanOrEqual(1);
    for (const number of hit503) {
      const row = rows.find((r) => r.number === number);
      expect(row?.status).toBe('sent');
      expect(row?.attempts).toBeGreaterThan(1);
    }
    expect(sim.acceptedSends()).toHaveLength(59);
    expect(sim.duplicateSends()).toBe(0);
  });

  it('honours Retry-After on a 429: the retry arrives no earlier than asked', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi' });
    await insertRecipients(db.pool, campaignId, 5);
    sim.faults.failNext(1, { status: 429, retryAfterSeconds: 2 });
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);

    const limited = sim.requests.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    const to = (limited!.body as { to: string }).to;
    const retry = sim.acceptedSends().find((s) => s.to === to);
    expect(retry).toBeDefined();
    expect(retry!.at - limited!.at).toBeGreaterThanOrEqual(2_000);
    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.find((r) => r.number === to)?.attempts).toBe(2);
  });
});
