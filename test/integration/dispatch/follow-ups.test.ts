/**
 * Edges between the lifecycle and the dispatch: a resume picks up retrying rows whose jobs ran as
 * no-ops while paused; a scheduled campaign past its expiry at launch is expired, not started; the
 * reconciler leaves a campaign alone whose live launch job has another number; a send in flight
 * when its campaign is cancelled or expired, then failing retryably, ends with the campaign.
 */
import { jest } from '@jest/globals';
import { cancelCampaign } from '../../../src/campaigns/lifecycle/cancel-campaign.js';
import { expireCampaign } from '../../../src/campaigns/lifecycle/expire-campaign.js';
import type { LifecycleDeps } from '../../../src/campaigns/lifecycle/lifecycle-deps.js';
import { resumeCampaign } from '../../../src/campaigns/lifecycle/resume-campaign.js';
import { launchJobId } from '../../../src/queue/names.js';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import {
  campaignStatus,
  insertCampaign,
  insertChannel,
  insertRecipients,
  recipientsOf,
  silentLog,
  startRuntime,
  waitFor,
  waitForCampaignCompleted,
} from './fixtures.js';

jest.setTimeout(90_000);

describe('dispatch follow-ups', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let runtime: WorkerRuntime;
  let channelId: string;
  let lifecycle: LifecycleDeps;

  beforeAll(async () => {
    db = await createTestDatabase('dispatch_followups');
    redis = await createTestRedis('dispatch-followups');
    sim = await startConnectlySimulator();
    channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'sms',
      senderId: '+15550194001',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
    });
    runtime = await startRuntime(db, redis, 10);
    // The reconciler test runs its own pass; periodic ones would race it.
    await runtime.reconciler.stop();
    lifecycle = { pool: db.pool, queues: runtime.queues, log: silentLog, now: () => new Date() };
  });

  afterAll(async () => {
    await runtime?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  beforeEach(() => sim.reset());

  it('a resume re-enqueues retrying recipients whose jobs ran as no-ops while paused', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, 5);
    const ids = (await recipientsOf(db.pool, campaignId)).map((r) => r.id);
    // Paused after the fan-out; three rows had failed once and their delayed jobs are gone.
    await db.pool.query(
      `UPDATE campaigns SET status = 'paused', paused_at = now(), enqueue_cursor = $2, fan_out_completed_at = now() WHERE id = $1`,
      [campaignId, ids[4]],
    );
    await db.pool.query(`UPDATE campaign_recipients SET status = 'retrying', attempts = 1 WHERE id = ANY($1::bigint[])`, [ids.slice(0, 3)]);

    await resumeCampaign(lifecycle, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);
    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(rows.map((r) => r.attempts)).toEqual([2, 2, 2, 1, 1]);
    expect(sim.acceptedSends()).toHaveLength(5);
  });

  it('expires a scheduled campaign whose expires_at passed before its launch fired', async () => {
    const campaignId = await insertCampaign(db.pool, {
      channelId,
      status: 'scheduled',
      content: 'Hi',
      sendTime: new Date(Date.now() - 120_000),
      expiresAt: new Date(Date.now() - 60_000),
    });
    await insertRecipients(db.pool, campaignId, 3, 100);
    await enqueueLaunch(runtime.queues, campaignId);
    await waitFor('the campaign to expire', async () => (await campaignStatus(db.pool, campaignId)) === 'expired');

    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.every((r) => r.status === 'expired' && r.reason === 'campaign_expired' && r.attempts === 0)).toBe(true);
    const { rows: campaign } = await db.pool.query('SELECT started_at, finished_at FROM campaigns WHERE id = $1', [campaignId]);
    expect(campaign[0]).toMatchObject({ started_at: null, finished_at: expect.any(Date) });
    expect(sim.requests).toHaveLength(0);
  });

  it('the reconciler leaves alone a campaign whose live launch job has another number', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, campaignId, 2, 200);
    // A resume's launch, not yet run (delayed here so it stays live during the pass).
    const resumeJob = launchJobId(campaignId, 1_795_000_000_000_000);
    await runtime.queues.launch.add('launch', { campaignId }, { jobId: resumeJob, delay: 3_600_000 });
    await redis.redis.del(`${redis.prefix}:reconciler-lock`);

    const report = await runtime.reconciler.runOnce();
    expect(report).toMatchObject({ ran: true, launchesEnqueued: 0, launchesRetried: 0 });
    expect(await runtime.queues.launch.getJob(launchJobId(campaignId, 0))).toBeUndefined();

    // Once that job is gone (lost with Redis), the next pass does enqueue one.
    await runtime.queues.launch.remove(resumeJob);
    await redis.redis.del(`${redis.prefix}:reconciler-lock`);
    expect(await runtime.reconciler.runOnce()).toMatchObject({ launchesEnqueued: 1 });
    await waitForCampaignCompleted(db.pool, campaignId);
    expect(sim.acceptedSends()).toHaveLength(2);
  });

  it.each([
    ['cancelled', (id: string) => cancelCampaign(lifecycle, id)],
    ['expired', (id: string) => expireCampaign(db.pool, id, { now: new Date(), observed: 'running' })],
  ] as const)('a send in flight when its campaign is %s, then failing retryably, ends with the campaign', async (end, endCampaign) => {
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, campaignId, 1, end === 'cancelled' ? 300 : 400);
    sim.faults.setLatency(1_500);
    sim.faults.failNext(1, { status: 503 });
    await enqueueLaunch(runtime.queues, campaignId);
    await waitFor('the request to reach the simulator', async () => sim.requests.length === 1);
    const [inFlight] = await recipientsOf(db.pool, campaignId);
    expect(inFlight).toMatchObject({ status: 'sending' });

    await endCampaign(campaignId);
    await waitFor('the send to finish', async () => (await recipientsOf(db.pool, campaignId))[0]!.status !== 'sending');
    const [row] = await recipientsOf(db.pool, campaignId);
    expect(row).toMatchObject({ status: end, reason: `campaign_${end}`, attempts: 1, last_error_code: expect.any(String) });
    expect(await campaignStatus(db.pool, campaignId)).toBe(end);
    // No retry was scheduled: nothing else reaches the simulator.
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.requests).toHaveLength(1);
    expect(await runtime.queues.send.getJobCounts('delayed', 'waiting', 'active')).toEqual({ delayed: 0, waiting: 0, active: 0 });
  });
});
