/**
 * The fan-out keeps Redis bounded: it tops a campaign's send queue up to FAN_OUT_AHEAD queued and
 * unsettled jobs and waits, instead of enqueuing the whole campaign at once — and still every
 * recipient is sent exactly once.
 */
import { jest } from '@jest/globals';
import { FAN_OUT_CHUNK } from '../../../src/dispatch/fan-out.js';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
import { insertCampaign, insertChannel, insertRecipients, recipientsOf, startRuntime, waitForCampaignCompleted } from './fixtures.js';

jest.setTimeout(120_000);

const AHEAD = 200;
const CONCURRENCY = 20;
const RECIPIENTS = 3_500;

describe('bounded fan-out', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: YeastarSimulator;
  let runtime: WorkerRuntime;

  beforeAll(async () => {
    db = await createTestDatabase('bounded_fan_out');
    redis = await createTestRedis('bounded-fan-out');
    sim = await startYeastarSimulator();
    runtime = await startRuntime(db, redis, CONCURRENCY, { fanOutAhead: AHEAD });
  });

  afterAll(async () => {
    await runtime?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  it('never holds much more than the limit of queued send jobs, and sends every recipient once', async () => {
    const channelId = await insertChannel(db.pool, {
      provider: 'yeastar',
      kind: 'sms',
      senderId: '+15550193611',
      settings: { baseUrl: sim.url, channelType: 'twilio' },
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      ratePerSecond: 1_000_000,
    });
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, RECIPIENTS, 0);
    sim.faults.setLatency(5);

    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const counts = await runtime.queues.send.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
        peak = Math.max(peak, Object.values(counts).reduce((a, b) => a + b, 0));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId, 100_000);
    sampling = false;
    await sampler;

    console.info(`bounded fan-out: peak ${peak} send jobs queued (limit ${AHEAD} + a chunk of ${FAN_OUT_CHUNK} + ${CONCURRENCY} in flight) for ${RECIPIENTS} recipients`);
    // Checked before each chunk: at most the limit plus one chunk, plus jobs whose outcome was
    // written a moment before BullMQ removed them (at most the concurrency).
    expect(peak).toBeLessThanOrEqual(AHEAD + FAN_OUT_CHUNK + CONCURRENCY);
    expect(peak).toBeGreaterThan(0);
    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(sim.acceptedSends()).toHaveLength(RECIPIENTS);
    expect(sim.duplicateSends()).toBe(0);
  });
});
