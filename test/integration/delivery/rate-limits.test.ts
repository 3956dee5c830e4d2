/**
 * Rate limits across three real worker processes, measured where they matter: at the simulators'
 * request logs.
 * - a 50/s channel: its sends reach the simulator at no more than 50 in any sliding second;
 * - meanwhile a 2/s channel with a backlog runs on the same queue and workers, and the fast channel
 *   is not held back by it: achieved = (sends − 1) / (last − first accepted send) over the steady
 *   part (the middle 80 % of the sends: the first ones wait for the fan-out, the last ones for
 *   stragglers) is at least 75 % of its limit — a channel stuck behind the 2/s one would reach a
 *   few per second;
 *
 * The workers run with a 100 ms limiter margin (RATE_LIMIT_MARGIN_MS; default 30). The margin is
 * the arrival spread the limiter absorbs; this test shares two cores between jest, three workers,
 * the simulator, Postgres and Redis, where the simulator's own stamping of arrivals was measured
 * 35–80 ms late under load, and at the default margin the strict check failed in about one run in
 * three (51 in a second), before and after the changes of the performance issue. How close to the
 * limit the default configuration gets, and the busiest second at 500/s, are benchmark figures
 * (`npm run bench -- --only rate-limit`: rate-limit.achieved, rate-limit.max-sliding-second), not
 * timed assertions.
 * - a pair gap of 1.5 s between two campaigns to the same numbers holds at the simulator.
 */
import { jest } from '@jest/globals';
import { createQueues, enqueueLaunch, type Queues } from '../../../src/queue/queues.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { insertCampaign, insertChannel, insertRecipients, recipientsOf, waitForCampaignCompleted } from '../dispatch/fixtures.js';
import { forkSimProcess, type RemoteSimInfo, type SimProcess } from './sim-process.js';
import { ensureBuilt, maxInSlidingWindow, spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.js';

jest.setTimeout(120_000);

const FAST_LIMIT = 50;
const FAST_COUNT = 600;
const SLOW_LIMIT = 2;
const SLOW_COUNT = 14;
const PAIR_GAP_MS = 1_500;
/** The limiter margin of this test's workers (module comment). */
const MARGIN_MS = 100;

const orderUpdate = {
  name: 'order_update',
  language: { code: 'en' },
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'customer' }, { type: 'TEXT', text: 'order' }] }],
};

describe('rate limits across three worker processes', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sims: SimProcess;
  let connectly: RemoteSimInfo;
  let yeastar: RemoteSimInfo;
  let slowSms: RemoteSimInfo;
  let queues: Queues;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase('delivery_rates');
    redis = await createTestRedis('delivery-rates');
    sims = forkSimProcess();
    connectly = await sims.start('connectly', 'connectly');
    yeastar = await sims.start('yeastar', 'yeastar');
    slowSms = await sims.start('slow', 'yeastar');
    queues = createQueues(redis.redis, redis.prefix);
    for (let i = 0; i < 3; i++) {
      workers.push(
        spawnWorker({ DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix, WORKER_CONCURRENCY: '50', RATE_LIMIT_MARGIN_MS: String(MARGIN_MS) }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await queues?.close();
    await sims?.close();
    await redis?.close();
    await db?.close();
  });

  it('holds every limit in any sliding second while a throttled channel runs beside a fast one', async () => {
    const fastChannel = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'whatsapp',
      senderId: '+15550190001',
      settings: { businessId: connectly.businessId!, baseUrl: connectly.url },
      credentials: { apiKey: connectly.apiKey! },
      ratePerSecond: FAST_LIMIT,
    });
    const slowChannel = await insertChannel(db.pool, {
      provider: 'yeastar',
      kind: 'sms',
      senderId: '+15550190002',
      settings: { baseUrl: slowSms.url, channelType: 'twilio' },
      credentials: { clientId: slowSms.clientId!, clientSecret: slowSms.clientSecret! },
      ratePerSecond: SLOW_LIMIT,
    });
    const pairChannel = await insertChannel(db.pool, {
      provider: 'yeastar',
      kind: 'sms',
      senderId: '+15550190003',
      settings: { baseUrl: yeastar.url, channelType: 'twilio' },
      credentials: { clientId: yeastar.clientId!, clientSecret: yeastar.clientSecret! },
      pairGapMs: PAIR_GAP_MS,
    });

    const fast = await insertCampaign(db.pool, { channelId: fastChannel, contentType: 'template', msgParam: orderUpdate });
    await insertRecipients(db.pool, fast, FAST_COUNT, 0, `jsonb_build_object('1', 'N' || g, '2', 'ORD-' || g)`);
    const slow = await insertCampaign(db.pool, { channelId: slowChannel, content: 'slow {{name}}' });
    await insertRecipients(db.pool, slow, SLOW_COUNT, 1_000);
    const pairA = await insertCampaign(db.pool, { channelId: pairChannel, content: 'A {{name}}' });
    await insertRecipients(db.pool, pairA, 4, 2_000);
    const pairB = await insertCampaign(db.pool, { channelId: pairChannel, content: 'B {{name}}' });
    await insertRecipients(db.pool, pairB, 4, 2_000);

    for (const id of [slow, fast, pairA, pairB]) await enqueueLaunch(queues, id);
    await Promise.all([fast, slow, pairA, pairB].map((id) => waitForCampaignCompleted(db.pool, id, 90_000)));

    // Fast channel: never above its limit in any sliding second, and not held back.
    const fastLog = await sims.accepted('connectly');
    const fastTimes = fastLog.accepted.map((s) => s.at).sort((a, b) => a - b);
    expect(fastTimes).toHaveLength(FAST_COUNT);
    const fastMax = maxInSlidingWindow(fastTimes, 1000);
    const steady = fastTimes.slice(Math.floor(FAST_COUNT * 0.1), Math.ceil(FAST_COUNT * 0.9));
    const achieved = (steady.length - 1) / ((steady.at(-1)! - steady[0]!) / 1000);
    const slowTimes = (await sims.accepted('slow')).accepted.map((s) => s.at);
    const slowMax = maxInSlidingWindow(slowTimes, 1000);
    console.info(
      `fast channel: max ${fastMax} in any sliding second (limit ${FAST_LIMIT}); achieved (steady part) ${achieved.toFixed(1)}/s = ${((achieved / FAST_LIMIT) * 100).toFixed(1)} % of the limit; ` +
        `slow channel: max ${slowMax} in any sliding second (limit ${SLOW_LIMIT}); requests at the fast simulator: ${fastLog.requests}`,
    );
    // Strict: the request is held at its socket until its admission and leaves within the admission's
    // write deadline or not at all (src/dispatch/admission.ts), so the limiter's margin covers the
    // spread between admissions and arrivals.
    expect(fastMax).toBeLessThanOrEqual(FAST_LIMIT);
    expect(achieved).toBeGreaterThanOrEqual(0.75 * FAST_LIMIT);

    // Slow channel: its limit held, all sent — and it did not hold back the fast one (above).
    expect(slowTimes).toHaveLength(SLOW_COUNT);
    expect(slowMax).toBeLessThanOrEqual(SLOW_LIMIT);

    // Pair gap: the two campaigns' sends to each number are at least the gap apart.
    const byNumber = new Map<string, number[]>();
    for (const s of (await sims.accepted('yeastar')).accepted) byNumber.set(s.to, [...(byNumber.get(s.to) ?? []), s.at]);
    expect(byNumber.size).toBe(4);
    for (const times of byNumber.values()) {
      expect(times).toHaveLength(2);
      // Admitted at least the gap plus the limiter's margin apart, and each written within its
      // admission's deadline: at the simulator at least the gap apart.
      expect(Math.abs(times[1]! - times[0]!)).toBeGreaterThanOrEqual(PAIR_GAP_MS);
    }

    for (const id of [fast, slow, pairA, pairB]) {
      expect((await recipientsOf(db.pool, id)).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    }
  });
});
