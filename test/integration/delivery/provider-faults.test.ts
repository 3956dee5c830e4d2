/**
 * Provider trouble: a 429 with Retry-After, and an outage ridden out by the circuit breaker.
 *
 * The outage is 5 s with a 1 s breaker cool-down instead of 30 s with the default 10 s, to keep the
 * suite short; the mechanism is the same (runtime option `breaker`). The campaign allows only 3
 * attempts per recipient, so without the breaker the outage would fail recipients: with backoff
 * ceilings of 1, 2, 4 s, three attempts span well under 5 s.
 */
import { jest } from '@jest/globals';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { insertCampaign, insertChannel, insertRecipients, recipientsOf, startRuntime, waitFor, waitForCampaignCompleted } from '../dispatch/fixtures.js';

jest.setTimeout(90_000);
const OUTAGE_MS = 5_000;

describe('provider faults', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let runtime: WorkerRuntime;

  beforeAll(async () => {
    db = await createTestDatabase('delivery_faults');
    redis = await createTestRedis('delivery-faults');
    sim = await startConnectlySimulator();
    runtime = await startRuntime(db, redis, 30, { breakerCooldownMs: 1_000 });
  });

  afterAll(async () => {
    await runtime?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  beforeEach(() => sim.reset());

  async function smsChannel(ratePerSecond: number, businessId = sim.businessId): Promise<string> {
    return insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'sms',
      senderId: `+1555019${Math.floor(Math.random() * 9000 + 1000)}`,
      settings: { businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
      ratePerSecond,
    });
  }

  it('honours Retry-After: a 429-ed recipient is sent no earlier than it says, without using up its attempts', async () => {
    const channelId = await smsChannel(100);
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}', maxAttempts: 1 });
    await insertRecipients(db.pool, campaignId, 10);
    sim.faults.failNext(3, { status: 429, retryAfterSeconds: 2 });
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);

    const limited = sim.requests.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    const accepted = new Map(sim.acceptedSends().map((s) => [s.to, s]));
    for (const request of limited) {
      const to = (request.body as { recipient: { id: string } }).recipient.id;
      expect(accepted.get(to)!.at - request.at).toBeGreaterThanOrEqual(2_000);
    }
    // max_attempts is 1, yet the 429-ed recipients were sent after their 429s: a 429 is free. Which
    // requests the three 429s hit is a race (a retry after the cool-down can take the third), so
    // each recipient's claims are counted against the 429s it got: one more than those.
    const rows = await recipientsOf(db.pool, campaignId);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const limitedOf = new Map<string, number>();
    for (const request of limited) {
      const to = (request.body as { recipient: { id: string } }).recipient.id;
      limitedOf.set(to, (limitedOf.get(to) ?? 0) + 1);
    }
    for (const r of rows) expect({ number: r.number, attempts: r.attempts }).toEqual({ number: r.number, attempts: 1 + (limitedOf.get(r.number) ?? 0) });
    expect(sim.acceptedSends()).toHaveLength(10);
  });

  it('rides out a provider outage with the circuit breaker: no recipient fails', async () => {
    const channelId = await smsChannel(100);
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}', maxAttempts: 3 });
    await insertRecipients(db.pool, campaignId, 400, 1_000);
    await enqueueLaunch(runtime.queues, campaignId);
    await waitFor('the first sends', async () => sim.acceptedSends().length >= 50);
    sim.faults.failNext(1_000_000, { status: 503 });
    const outageStart = Date.now();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    sim.faults.clear();
    await waitForCampaignCompleted(db.pool, campaignId);

    const rows = await recipientsOf(db.pool, campaignId);
    const failed503 = sim.requests.filter((r) => r.status === 503);
    const duringOutage = sim.requests.filter((r) => r.at >= outageStart + 1_000 && r.at < outageStart + OUTAGE_MS).length;
    console.info(
      `outage: ${failed503.length} requests answered 503 in ${OUTAGE_MS} ms (${duringOutage} after its first second); ` +
        `max attempts of a recipient ${Math.max(...rows.map((r) => r.attempts))}`,
    );
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(sim.acceptedSends()).toHaveLength(400);
    // Once open, the breaker lets about one probe per cool-down through (plus in-flight stragglers),
    // instead of every recipient retrying into the outage.
    expect(duringOutage).toBeLessThan(40);
  });
});
