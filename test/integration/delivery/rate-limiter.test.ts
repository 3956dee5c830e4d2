/**
 * The limiter itself, on the real Redis, with several connections standing in for worker
 * processes: what it admits, measured at admission (no HTTP between, so no arrival jitter).
 */
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { acquireFresh, sendAdmitted, writeDeadline } from '../../../src/dispatch/admission.js';
import { ProviderError } from '../../../src/providers/provider-error.js';
import { DEFAULT_MAX_ADMISSION_LAG_MS } from '../../../src/dispatch/send-recipient.js';
import { createRateLimiter, DEFAULT_LIMITER_MARGIN_MS } from '../../../src/queue/rate-limiter.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { maxInSlidingWindow } from './worker-processes.js';

jest.setTimeout(60_000);

describe('sliding-window rate limiter', () => {
  let redis: TestRedis;
  const connections: Redis[] = [];

  beforeAll(async () => {
    redis = await createTestRedis('rate-limiter');
    for (let i = 0; i < 3; i++) connections.push(new Redis(redis.url));
  });
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await redis.close();
  });

  it('admits at most the limit in any sliding second across three clients, and ≥ 95 % of it', async () => {
    const limit = 50;
    const total = 300;
    const limiters = connections.map((c) => createRateLimiter(c, `${redis.prefix}:rl:`));
    const limits = [{ key: 'ch:a', limit, windowMs: 1000, kind: 'rate' as const, scope: 'channel' as const }];
    const admitted: number[] = [];
    // 3 clients × 20 concurrent callers, each re-asking after the wait it was told (as a delayed job
    // would), and using only fresh admissions as the send step does (dispatch/admission.ts): the time
    // recorded is when the caller would hand its request on, not Redis' admission time.
    async function caller(limiter: (typeof limiters)[number]): Promise<void> {
      let reserved = false;
      const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
      while (admitted.length < total) {
        const room = await limiter.peek(limits, { reserved });
        if (!room.ok) {
          reserved = room.slotted || reserved;
          await wait(room.waitMs);
          continue;
        }
        const answer = await acquireFresh(limiter, limits, { maxLagMs: DEFAULT_MAX_ADMISSION_LAG_MS });
        if (answer.ok) {
          admitted.push(Date.now());
          reserved = false;
        } else {
          reserved = true;
          await wait(answer.waitMs);
        }
      }
    }
    await Promise.all(limiters.flatMap((l) => Array.from({ length: 20 }, () => caller(l))));
    const times = admitted.slice(0, total).sort((a, b) => a - b);
    const max = maxInSlidingWindow(times, 1000);
    const achieved = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    console.info(`limiter: max ${max} admitted in any sliding second (limit ${limit}); achieved ${((achieved / limit) * 100).toFixed(1)} % (margin ${DEFAULT_LIMITER_MARGIN_MS} ms)`);
    expect(max).toBeLessThanOrEqual(limit);
    expect(achieved).toBeGreaterThanOrEqual(0.95 * limit);
  });

  it('takes every limit of a send or none, and honours a cool-down', async () => {
    const limiter = createRateLimiter(connections[0]!, `${redis.prefix}:rl2:`);
    const pair = { key: 'pair:c:+1', limit: 1, windowMs: 60_000, kind: 'pair' as const, scope: 'pair' as const };
    const channel = { key: 'ch:c', limit: 100, windowMs: 1000, kind: 'rate' as const, scope: 'channel' as const };
    const logSize = (): Promise<number> => connections[0]!.zcard(`${redis.prefix}:rl2:ch:c:log`);
    expect((await limiter.acquire([channel, pair])).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 15)); // past the channel's 10 ms spacing
    const refused = await limiter.acquire([channel, pair]);
    expect(refused).toMatchObject({ ok: false, refusedBy: 'pair' });
    expect(!refused.ok && refused.waitMs).toBeGreaterThan(59_000);
    // The refused send took no channel room.
    expect(await logSize()).toBe(1);
    // Back to back, a rate limit lets its burst (10 % of the limit) through, then the channel refuses.
    // (20/s: a burst of 2, then 51.5 ms spacing; the three calls reach Redis in one pipeline.)
    const burst = { key: 'ch:e', limit: 20, windowMs: 1000, kind: 'rate' as const, scope: 'channel' as const };
    const burstLog = (): Promise<number> => connections[0]!.zcard(`${redis.prefix}:rl2:ch:e:log`);
    const answers = await Promise.all([0, 1, 2].map(() => limiter.acquire([burst], { reserved: true })));
    expect(answers.map((a) => a.ok)).toEqual([true, true, false]);
    expect(answers[2]).toMatchObject({ ok: false, refusedBy: 'channel' });
    // A released admission gives its room back.
    const first = answers[0]!;
    if (first.ok) await limiter.release(first.admission);
    expect(await burstLog()).toBe(1);

    await limiter.coolDown('ch:d', 2_000);
    const cooled = await limiter.peek([{ key: 'ch:d', limit: 100, windowMs: 1000, kind: 'rate', scope: 'channel' }]);
    expect(cooled).toMatchObject({ ok: false, refusedBy: 'channel' });
    expect(!cooled.ok && cooled.waitMs).toBeGreaterThan(1_900);
  });

  it('counts a send allowed to leave late as admitted that much later', async () => {
    const limiter = createRateLimiter(connections[2]!, `${redis.prefix}:rl4:`, { marginMs: 0 });
    const pair = { key: 'pair:l:+1', limit: 1, windowMs: 200, kind: 'pair' as const, scope: 'pair' as const };
    const late = await limiter.acquire([pair], { lateMs: 300 });
    expect(late.ok).toBe(true);
    // Its entry carries the late moment, so it stays in the window until 200 ms after that.
    const [, score] = await connections[2]!.zrange(`${redis.prefix}:rl4:pair:l:+1:log`, 0, 0, 'WITHSCORES');
    const [seconds, micros] = await connections[2]!.time();
    const redisNow = Number(seconds) * 1000 + Number(micros) / 1000;
    expect(Number(score) - redisNow).toBeGreaterThan(250);
    // 250 ms later a send recorded at admission time would have room again (window 200 ms); this
    // one is told to wait for the late send's window: about 300 + 200 − 250 ms.
    await new Promise((r) => setTimeout(r, 250));
    const next = await limiter.acquire([pair]);
    expect(next).toMatchObject({ ok: false, refusedBy: 'pair' });
    expect(!next.ok && next.waitMs).toBeGreaterThan(150);
    expect(!next.ok && next.waitMs).toBeLessThanOrEqual(250);
    // A late send may still be written at once, so it counts the window before now as well: however
    // late it is allowed to be, it is refused while the earlier send is in the window, and told to
    // wait until that send has left it (about 200 ms from now), not until its late moment.
    const other = { key: 'pair:l:+2', limit: 1, windowMs: 200, kind: 'pair' as const, scope: 'pair' as const };
    expect((await limiter.acquire([other])).ok).toBe(true);
    expect((await limiter.acquire([other], { lateMs: 100 })).ok).toBe(false);
    const veryLate = await limiter.acquire([other], { lateMs: 250 });
    expect(veryLate).toMatchObject({ ok: false, refusedBy: 'pair' });
    expect(!veryLate.ok && veryLate.waitMs).toBeGreaterThan(150);
    expect(!veryLate.ok && veryLate.waitMs).toBeLessThanOrEqual(200);
  });

  it('records a loose admission (far below its limits) its loose lag ahead, and gives it that much longer to be written', async () => {
    const limiter = createRateLimiter(connections[2]!, `${redis.prefix}:rl5:`, { marginMs: 0, looseLagMs: 80 });
    const roomy = { key: 'ch:roomy', limit: 100, windowMs: 1000, kind: 'rate' as const, scope: 'channel' as const };
    const loose = await limiter.acquire([roomy]);
    expect(loose.ok && loose.admission).toMatchObject({ tight: false, lateMs: 80 });
    if (!loose.ok) throw new Error('unreachable');
    const [, score] = await connections[2]!.zrange(`${redis.prefix}:rl5:ch:roomy:log`, 0, 0, 'WITHSCORES');
    const [seconds, micros] = await connections[2]!.time();
    expect(Number(score) - (Number(seconds) * 1000 + Number(micros) / 1000)).toBeGreaterThan(50);
    expect(writeDeadline(loose.admission, 10)).toBe(loose.admission.admittedAt + 90);
    // A pair limit is always in use: a tight admission, recorded at its moment, its usual lag only.
    const pair = { key: 'pair:roomy:+1', limit: 1, windowMs: 1000, kind: 'pair' as const, scope: 'pair' as const };
    const tight = await limiter.acquire([pair]);
    expect(tight.ok && tight.admission).toMatchObject({ tight: true, lateMs: 0 });
    if (tight.ok) expect(writeDeadline(tight.admission, 10)).toBe(tight.admission.admittedAt + 10);
  });

  it('sendAdmitted: a request that missed its write deadline gives its room back and is made again; a refusal sends nothing', async () => {
    const limiter = createRateLimiter(connections[1]!, `${redis.prefix}:rl3:`);
    const channel = { key: 'ch:s', limit: 1, windowMs: 1000, kind: 'rate' as const, scope: 'channel' as const };
    const logSize = (): Promise<number> => connections[1]!.zcard(`${redis.prefix}:rl3:ch:s:log`);
    const notSent = (): ProviderError =>
      new ProviderError({ provider: 'connectly', errorClass: 'retryable', providerCode: 'WRITE_DEADLINE_MISSED', providerMessage: 'late', notSent: true });
    // A stand-in for the provider client's gated request: ask the gate, then (first time) stall
    // past the deadline before the write, as a frozen event loop would.
    let requests = 0;
    const written: number[] = [];
    const send = async (gate: () => Promise<number | null>): Promise<string> => {
      requests++;
      const deadline = await gate();
      if (deadline === null) throw notSent();
      if (requests === 1) await new Promise((r) => setTimeout(r, 40));
      if (Date.now() > deadline) throw notSent();
      written.push(Date.now());
      return 'sent';
    };
    const first = await sendAdmitted(limiter, [channel], { maxLagMs: 15 }, send);
    expect(first).toEqual({ sent: 'sent' });
    expect(requests).toBe(2); // the stalled one was not written, its room given back, a new one made
    expect(written).toHaveLength(1);
    expect(await logSize()).toBe(1); // one admission in the log: the stale one was released

    // The limit (1/s) is now full: the next send is refused, and its request is dropped unwritten.
    const second = await sendAdmitted(limiter, [channel], { maxLagMs: 15 }, send);
    expect(second).toMatchObject({ refused: { ok: false, refusedBy: 'channel' } });
    expect(written).toHaveLength(1);
    expect(await logSize()).toBe(1);
  });
});
