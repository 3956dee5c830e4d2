/**
 * A pause stops sends within a second: with an in-process runtime sending at a modest channel rate,
 * `pauseCampaign` commits, and the simulator accepts no send later than a second after that commit
 * (a bound, not a speed: in-flight sends may still land, nothing new may start). The rows the
 * simulator did not accept stay unsent, and nothing goes out while paused.
 */
import { jest } from '@jest/globals';
import { pauseCampaign } from '../../../src/campaigns/lifecycle/pause-campaign.js';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { campaignStatus, insertCampaign, insertChannel, insertRecipients, recipientsOf, silentLog, startRuntime, waitFor } from './fixtures.js';

jest.setTimeout(60_000);
const RATE = 20;
const COUNT = 200;
/** How long after the pause's commit an accepted send is still allowed (in flight at the pause). */
const PAUSE_BOUND_MS = 1_000;

describe('pause', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let runtime: WorkerRuntime;

  beforeAll(async () => {
    db = await createTestDatabase('pause_latency');
    redis = await createTestRedis('pause-latency');
    sim = await startConnectlySimulator();
    runtime = await startRuntime(db, redis, 20);
  });

  afterAll(async () => {
    await runtime?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  it('no send is accepted later than a second after the pause committed', async () => {
    const channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'sms',
      senderId: '+15550196001',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
      ratePerSecond: RATE,
    });
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, COUNT);
    sim.faults.setLatency(50);
    await enqueueLaunch(runtime.queues, campaignId);
    await waitFor('some sends', async () => sim.acceptedSends().length >= 30);

    await pauseCampaign({ pool: db.pool, log: silentLog, now: () => new Date() }, campaignId);
    const pausedAt = Date.now(); // after the commit
    await new Promise((r) => setTimeout(r, 3 * PAUSE_BOUND_MS));

    const accepted = sim.acceptedSends();
    const late = accepted.filter((s) => s.at > pausedAt + PAUSE_BOUND_MS);
    const after = accepted.filter((s) => s.at > pausedAt);
    console.info(`pause: ${accepted.length} accepted; ${after.length} after the commit, the last ${after.length ? Math.max(...after.map((s) => s.at)) - pausedAt : 0} ms after it`);
    expect(late).toEqual([]);
    expect(accepted.length).toBeLessThan(COUNT);
    expect(await campaignStatus(db.pool, campaignId)).toBe('paused');
    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(accepted.length);
    expect(rows.filter((r) => r.status === 'pending' || r.status === 'retrying')).toHaveLength(COUNT - accepted.length);
  });
});
