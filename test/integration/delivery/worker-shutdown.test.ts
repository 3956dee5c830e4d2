/**
 * Graceful shutdown of a worker process (SIGTERM), against a simulator that answers after 2.5 s:
 * 1. with a deadline longer than that, the worker stops taking jobs, its in-flight sends finish and
 *    record their outcome, and it exits 0 leaving no recipient `sending`;
 * 2. with a deadline shorter than that, it force-closes with sends in flight and exits 0; their
 *    recipients stay `sending` under a lease, and a replacement worker picks them up (stalled check,
 *    then reclaim after the lease) with the same idempotency key.
 * Either way the campaign completes with exactly one accepted send per recipient.
 */
import { jest } from '@jest/globals';
import { createQueues, enqueueLaunch, type Queues } from '../../../src/queue/queues.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { insertCampaign, insertChannel, insertRecipients, recipientsOf, waitFor, waitForCampaignCompleted } from '../dispatch/fixtures.js';
import { ensureBuilt, spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.js';

jest.setTimeout(120_000);
const COUNT = 120;
/** Longer than the short deadline plus close-worker.ts' FORCE_CLOSE_WAIT_MS: sends are abandoned. */
const LATENCY_MS = 2_500;

describe('a worker stopped with SIGTERM mid-campaign', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let queues: Queues;
  const workers: WorkerProcess[] = [];

  const start = (shutdownDeadlineMs: number): WorkerProcess => {
    const worker = spawnWorker({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      WORKER_CONCURRENCY: '40',
      SHUTDOWN_DEADLINE_MS: String(shutdownDeadlineMs),
      SEND_LEASE_SECONDS: '4',
      SEND_LOCK_DURATION_MS: '3000',
      SEND_STALLED_INTERVAL_MS: '1500',
    });
    workers.push(worker);
    return worker;
  };
  const sendingRows = async (campaignId: string): Promise<number> =>
    (await recipientsOf(db.pool, campaignId)).filter((r) => r.status === 'sending').length;

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase('delivery_shutdown');
    redis = await createTestRedis('delivery-shutdown');
    sim = await startConnectlySimulator();
    queues = createQueues(redis.redis, redis.prefix);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await queues?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  it('finishes in-flight sends within the deadline, or leaves them to a replacement; one send per recipient', async () => {
    const channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'sms',
      senderId: '+15550197001',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
      ratePerSecond: 100,
    });
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, COUNT);
    sim.faults.setLatency(LATENCY_MS);

    // 1. A generous deadline: in-flight sends finish.
    const patient = start(10_000);
    await enqueueLaunch(queues, campaignId);
    await waitFor('sends in flight', async () => sim.requests.length >= 20 && (await sendingRows(campaignId)) > 0);
    patient.child.kill('SIGTERM');
    expect(await patient.exited).toBe(0);
    expect(await sendingRows(campaignId)).toBe(0);
    const afterFirst = sim.acceptedSends().length;
    expect(afterFirst).toBeLessThan(COUNT);

    // 2. A deadline shorter than a provider answer: force-closed with sends in flight.
    const hasty = start(100);
    await waitFor('the second worker to have sends in flight', async () => sim.requests.length >= afterFirst + 20 && (await sendingRows(campaignId)) > 0);
    hasty.child.kill('SIGTERM');
    expect(await hasty.exited).toBe(0);
    const abandoned = await sendingRows(campaignId);
    expect(abandoned).toBeGreaterThan(0);

    start(10_000);
    await waitForCampaignCompleted(db.pool, campaignId, 100_000);
    const rows = await recipientsOf(db.pool, campaignId);
    const accepted = sim.acceptedSends();
    const perNumber = new Map<string, number>();
    for (const s of accepted) perNumber.set(s.to, (perNumber.get(s.to) ?? 0) + 1);
    console.info(
      `shutdown: ${abandoned} recipients left sending by the force-closed worker; ${accepted.length} accepted sends; ` +
        `${sim.duplicateSends()} repeated requests with an already-accepted key`,
    );
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // The abandoned sends were re-sent under their own key: the simulator answered from memory.
    expect(sim.duplicateSends()).toBeGreaterThan(0);
    expect(perNumber.size).toBe(COUNT);
    expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
    const byNumber = new Map(accepted.map((s) => [s.to, s.messageId]));
    expect(rows.every((r) => byNumber.get(r.number) === r.provider_message_id)).toBe(true);
  });
});
