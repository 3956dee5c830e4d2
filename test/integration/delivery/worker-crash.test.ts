/**
 * Exactly once under SIGKILL: three worker processes share a campaign; one is killed with SIGKILL
 * mid-campaign (with sends in flight — the simulator answers after 40 ms) and a replacement is
 * started. Every recipient must end with exactly one accepted send at the simulator. A repeated
 * request with the same idempotency key (the re-run of a send whose answer the dead worker never
 * read) is allowed and reported; two different accepted sends to one recipient are not.
 * Lease, lock and stalled-check times are shortened through the worker's env knobs so the re-run
 * comes within seconds (production: 60 s lease, 30 s lock).
 */
import { jest } from '@jest/globals';
import { createQueues, enqueueLaunch, type Queues } from '../../../src/queue/queues.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { insertCampaign, insertChannel, insertRecipients, recipientsOf, waitFor, waitForCampaignCompleted } from '../dispatch/fixtures.js';
import { ensureBuilt, spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.js';

jest.setTimeout(120_000);
const COUNT = 600;

describe('a worker SIGKILLed mid-campaign', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let queues: Queues;
  const workers: WorkerProcess[] = [];

  const start = (): WorkerProcess =>
    spawnWorker({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      WORKER_CONCURRENCY: '30',
      SEND_LEASE_SECONDS: '5',
      SEND_LOCK_DURATION_MS: '3000',
      SEND_STALLED_INTERVAL_MS: '1500',
    });

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase('delivery_crash');
    redis = await createTestRedis('delivery-crash');
    sim = await startConnectlySimulator();
    queues = createQueues(redis.redis, redis.prefix);
    for (let i = 0; i < 3; i++) workers.push(start());
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await queues?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  it('ends with exactly one accepted send per recipient', async () => {
    const channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'sms',
      senderId: '+15550192001',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
      ratePerSecond: 150,
    });
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, COUNT);
    sim.faults.setLatency(40);
    await enqueueLaunch(queues, campaignId);

    await waitFor('a third of the sends', async () => sim.acceptedSends().length >= COUNT / 3);
    const victim = workers[0]!;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    workers.push(start());

    await waitForCampaignCompleted(db.pool, campaignId, 100_000);
    const rows = await recipientsOf(db.pool, campaignId);
    const accepted = sim.acceptedSends();
    const perNumber = new Map<string, number>();
    for (const s of accepted) perNumber.set(s.to, (perNumber.get(s.to) ?? 0) + 1);
    console.info(
      `crash: ${accepted.length} accepted sends for ${COUNT} recipients; ${sim.duplicateSends()} repeated requests with an already-accepted key; ` +
        `${rows.filter((r) => r.attempts > 1).length} recipients needed more than one attempt`,
    );
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(perNumber.size).toBe(COUNT);
    expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
    expect(accepted).toHaveLength(COUNT);
    // The ledger names the message the simulator accepted (the original id, also on a repeat).
    const byNumber = new Map(accepted.map((s) => [s.to, s.messageId]));
    expect(rows.every((r) => byNumber.get(r.number) === r.provider_message_id)).toBe(true);
  });
});
