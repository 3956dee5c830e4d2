/**
 * Crash recovery: a fan-out resumed from its cursor, a recipient left `sending` by a dead worker,
 * a campaign whose launch job Redis lost, sends of a campaign that stopped running, and the
 * reconciler's sweep for recipients whose send job is gone from Redis or failed.
 */
import { jest } from '@jest/globals';
import { createReconciler, RECONCILE_INTERVAL_MS, strandedAfterMs } from '../../../src/dispatch/reconciler.js';
import { sendJobOptions } from '../../../src/dispatch/send-job-options.js';
import { sendJobId } from '../../../src/queue/names.js';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
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

jest.setTimeout(120_000);

describe('dispatch recovery', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: YeastarSimulator;
  let runtime: WorkerRuntime;
  let channelId: string;

  beforeAll(async () => {
    db = await createTestDatabase('dispatch_recovery');
    redis = await createTestRedis('dispatch-recovery');
    sim = await startYeastarSimulator();
    channelId = await insertChannel(db.pool, {
      provider: 'yeastar',
      kind: 'sms',
      senderId: '+15550193510',
      settings: { baseUrl: sim.url, channelType: 'twilio' },
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    });
    runtime = await startRuntime(db, redis);
    // Its periodic passes would race the crash scenarios set up below; the tests call runOnce.
    await runtime.reconciler.stop();
  });

  afterAll(async () => {
    await runtime?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  beforeEach(() => sim.reset());

  async function enqueueSends(campaignId: string, ids: string[]): Promise<void> {
    await runtime.queues.send.addBulk(ids.map((id) => ({ name: 'send', data: { campaignId, recipientId: id }, opts: sendJobOptions(id) })));
  }

  it('resumes a crashed fan-out from its cursor: every recipient sent exactly once', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, 400);
    const ids = (await recipientsOf(db.pool, campaignId)).map((r) => r.id);
    // The crashed fan-out had added the first 200 send jobs but recorded its cursor only at the
    // 150th: the chunk 151–200 will be added again.
    await db.pool.query('UPDATE campaigns SET launched_at = now(), started_at = now(), enqueue_cursor = $2 WHERE id = $1', [campaignId, ids[149]]);
    await enqueueSends(campaignId, ids.slice(0, 200));
    await waitFor('the first half to be sent', async () => sim.acceptedSends().length === 200);

    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);

    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(sim.acceptedSends()).toHaveLength(400);
    expect(new Set(sim.acceptedSends().map((s) => s.to)).size).toBe(400);
    expect(sim.duplicateSends()).toBe(0);
    const { rows: campaign } = await db.pool.query<{ enqueue_cursor: string }>('SELECT enqueue_cursor FROM campaigns WHERE id = $1', [campaignId]);
    expect(campaign[0]?.enqueue_cursor).toBe(ids[399]);
  });

  it('reclaims a recipient left sending by a dead worker once its lease expired, with the same key', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, campaignId, 1);
    const [row] = await recipientsOf(db.pool, campaignId);
    await db.pool.query(
      `UPDATE campaign_recipients SET status = 'sending', attempts = 1, lease_expires_at = now() - interval '1 second' WHERE id = $1`,
      [row!.id],
    );
    await db.pool.query('UPDATE campaigns SET fan_out_completed_at = now() WHERE id = $1', [campaignId]);
    await enqueueSends(campaignId, [row!.id]);
    await waitForCampaignCompleted(db.pool, campaignId);

    const [after] = await recipientsOf(db.pool, campaignId);
    expect(after).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sim.acceptedSends().map((s) => s.idempotencyKey)).toEqual([`cd-${campaignId}-${row!.id}`]);
  });

  it('re-enqueues launches Redis never got: a running campaign mid-fan-out and a due scheduled one', async () => {
    const running = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, running, 30, 0);
    const scheduled = await insertCampaign(db.pool, { channelId, status: 'scheduled', content: 'Hi', sendTime: new Date(Date.now() - 60_000) });
    await insertRecipients(db.pool, scheduled, 20, 100);
    const later = await insertCampaign(db.pool, { channelId, status: 'scheduled', content: 'Hi', sendTime: new Date(Date.now() + 3_600_000) });
    await insertRecipients(db.pool, later, 5, 200);

    // The runtime's first pass holds the lock for its interval; this pass needs it.
    await redis.redis.del(`${redis.prefix}:reconciler-lock`);
    const report = await runtime.reconciler.runOnce();
    expect(report).toMatchObject({ ran: true, launchesEnqueued: 2 });

    await waitForCampaignCompleted(db.pool, running);
    await waitForCampaignCompleted(db.pool, scheduled);
    expect(await campaignStatus(db.pool, later)).toBe('scheduled');
    expect(sim.acceptedSends()).toHaveLength(50);
    expect(sim.duplicateSends()).toBe(0);
  });

  it('completes a running campaign whose last outcome was written but never followed by a completion check', async () => {
    // The worker that wrote the last outcome died before its completion check: every recipient is
    // settled, the fan-out finished, the campaign still says running.
    const settled = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, settled, 3, 300);
    await db.pool.query(`UPDATE campaign_recipients SET status = 'sent', sent_at = now() WHERE campaign_id = $1`, [settled]);
    await db.pool.query(`UPDATE campaigns SET fan_out_completed_at = now() WHERE id = $1`, [settled]);
    // One that still has work is left running.
    const busy = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, busy, 2, 400);
    await db.pool.query(`UPDATE campaigns SET fan_out_completed_at = now() WHERE id = $1`, [busy]);

    await redis.redis.del(`${redis.prefix}:reconciler-lock`);
    const report = await runtime.reconciler.runOnce();
    expect(report.campaignsCompleted).toBe(1);
    expect(await campaignStatus(db.pool, settled)).toBe('completed');
    expect(await campaignStatus(db.pool, busy)).toBe('running');
    await db.pool.query(`UPDATE campaigns SET status = 'cancelled' WHERE id = $1`, [busy]);
  });

  it('relaunches every running campaign from Postgres at once when Redis lost its state', async () => {
    // A campaign mid-send whose jobs Redis lost: fanned out, some recipients sent, the rest pending.
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, campaignId, 40, 400);
    const ids = (await recipientsOf(db.pool, campaignId)).map((r) => r.id);
    await db.pool.query(`UPDATE campaign_recipients SET status = 'sent', sent_at = now(), attempts = 1 WHERE id = ANY($1::bigint[])`, [ids.slice(0, 10)]);
    await db.pool.query(`UPDATE campaigns SET enqueue_cursor = $2, fan_out_completed_at = now() WHERE id = $1`, [campaignId, ids[ids.length - 1]]);

    // Same Redis, marker present: the rows are too fresh to count as stranded, so nothing happens.
    await redis.redis.del(`${redis.prefix}:reconciler-lock`);
    const quiet = await runtime.reconciler.runOnce();
    expect(quiet).toMatchObject({ ran: true, rebuiltAfterRedisLoss: 0, sendsEnqueued: 0 });

    // Redis loses everything it held for us (as FLUSHALL or an empty restart would).
    await redis.redis.del(`${redis.prefix}:reconciler-lock`, `${redis.prefix}:reconciler-lock:epoch`);
    const report = await runtime.reconciler.runOnce();
    expect(report.rebuiltAfterRedisLoss).toBeGreaterThanOrEqual(1);

    await waitForCampaignCompleted(db.pool, campaignId);
    const sent = sim.acceptedSends().map((s) => s.idempotencyKey);
    expect(sent).toHaveLength(30);
    expect(new Set(sent)).toEqual(new Set(ids.slice(10).map((id) => `cd-${campaignId}-${id}`)));
  });

  it('does not send for a campaign that stopped running, and leaves its recipients pending', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, campaignId, 5, 300);
    await db.pool.query(`UPDATE campaigns SET status = 'cancelled' WHERE id = $1`, [campaignId]);
    await enqueueSends(campaignId, (await recipientsOf(db.pool, campaignId)).map((r) => r.id));
    await waitFor('the send queue to drain', async () => {
      const counts = await runtime.queues.send.getJobCounts('waiting', 'active', 'delayed');
      return counts.waiting === 0 && counts.active === 0 && counts.delayed === 0;
    });

    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
    expect(sim.acceptedSends()).toHaveLength(0);
  });

  it('re-enqueues recipients whose send job is gone or failed after a short idle age; leaves live jobs alone', async () => {
    // Idle a little longer than the sweep's age (a lease + one interval: 90 s by default), far
    // below the ten minutes the sweep used to wait.
    const idleSeconds = Math.ceil(strandedAfterMs(RECONCILE_INTERVAL_MS) / 1000) + 5;
    expect(idleSeconds).toBeLessThan(120);
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    await insertRecipients(db.pool, campaignId, 5, 500);
    const [removed, failed, sendingLost, delayed, fresh] = (await recipientsOf(db.pool, campaignId)).map((r) => r.id) as [string, string, string, string, string];
    await db.pool.query('UPDATE campaigns SET launched_at = now(), started_at = now(), fan_out_completed_at = now() WHERE id = $1', [campaignId]);
    // `sendingLost`: claimed by a worker that died with an expired lease; its job is gone too.
    await db.pool.query(
      `UPDATE campaign_recipients SET status = 'sending', attempts = 1, lease_expires_at = now() - interval '1 second' WHERE id = $1`,
      [sendingLost],
    );
    const queue = runtime.queues.send;
    // `delayed`: a retry waiting out its backoff; its job exists and must not be touched.
    await queue.add('send', { campaignId, recipientId: delayed }, { ...sendJobOptions(delayed), delay: 60_000 });
    // `failed`: a job in the failed set (as a "stalled more than allowable limit" one is, when kept).
    await queue.add('send', { campaignId, recipientId: failed }, { ...sendJobOptions(failed), delay: 60_000 });
    await redis.redis.zrem(queue.toKey('delayed'), sendJobId(failed));
    await redis.redis.zadd(queue.toKey('failed'), Date.now(), sendJobId(failed));
    expect(await queue.getJobState(sendJobId(failed))).toBe('failed');
    // `removed` had a job that Redis lost: no job at all. `fresh` has none either but was just
    // touched, so a job may be on its way: the age guard leaves it.
    await db.pool.query(
      `UPDATE campaign_recipients SET updated_at = now() - make_interval(secs => $2) WHERE id = ANY($1::bigint[])`,
      [[removed, failed, sendingLost, delayed], idleSeconds],
    );
    const delayedBefore = await queue.getJob(sendJobId(delayed));

    await redis.redis.del(`${redis.prefix}:reconciler-lock`);
    const report = await runtime.reconciler.runOnce();
    expect(report).toMatchObject({ ran: true, sendsChecked: 4, sendsEnqueued: 3 });

    await waitFor('the three stranded recipients to be sent', async () => {
      const rows = await recipientsOf(db.pool, campaignId);
      return [removed, failed, sendingLost].every((id) => rows.find((r) => r.id === id)?.status === 'sent');
    });
    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.find((r) => r.id === delayed)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(rows.find((r) => r.id === fresh)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await queue.getJobState(sendJobId(delayed))).toBe('delayed');
    expect((await queue.getJob(sendJobId(delayed)))?.timestamp).toBe(delayedBefore?.timestamp);
    expect(await queue.getJobState(sendJobId(fresh))).toBe('unknown');
    // The one that had been claimed goes out under the same idempotency key, its second attempt.
    expect(rows.find((r) => r.id === sendingLost)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sim.acceptedSends().map((a) => a.idempotencyKey).sort()).toEqual([removed, failed, sendingLost].map((id) => `cd-${campaignId}-${id}`).sort());

    // A second pass finds nothing more to do.
    await redis.redis.del(`${redis.prefix}:reconciler-lock`);
    expect(await runtime.reconciler.runOnce()).toMatchObject({ ran: true, sendsEnqueued: 0 });

    await db.pool.query(`UPDATE campaigns SET status = 'cancelled' WHERE id = $1`, [campaignId]);
    await queue.remove(sendJobId(delayed));
  });

  it('sweeps a backlog larger than one pass in slices, resuming where the last pass stopped', async () => {
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi' });
    // Ids 9,991–10,020: across a digit boundary, where a keyset compared as text would skip rows.
    await db.pool.query(`SELECT setval(pg_get_serial_sequence('campaign_recipients', 'id'), 9990)`);
    await insertRecipients(db.pool, campaignId, 30, 600);
    await db.pool.query('UPDATE campaigns SET launched_at = now(), started_at = now(), fan_out_completed_at = now() WHERE id = $1', [campaignId]);
    // Every row idle, none with a job (as after a loss of Redis' state the epoch did not catch).
    await db.pool.query(`UPDATE campaign_recipients SET updated_at = now() - interval '10 minutes' WHERE campaign_id = $1`, [campaignId]);
    const sweeper = createReconciler({
      pool: db.pool,
      queues: runtime.queues,
      redis: redis.redis,
      lockKey: `${redis.prefix}:sweep-test-lock`,
      // The runtime's marker, present: this is not a Redis that lost its state.
      epochKey: `${redis.prefix}:reconciler-lock:epoch`,
      log: silentLog,
      sweepBudget: 12,
    });
    const passes: number[] = [];
    for (let i = 0; i < 3; i++) {
      await redis.redis.del(`${redis.prefix}:sweep-test-lock`);
      passes.push((await sweeper.runOnce()).sendsChecked);
    }
    expect(passes).toEqual([12, 12, 6]);
    await waitForCampaignCompleted(db.pool, campaignId);
    expect(sim.acceptedSends()).toHaveLength(30);
    expect(sim.duplicateSends()).toBe(0);
  });
});
