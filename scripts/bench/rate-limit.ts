/**
 * Benchmark 5 — rate limits: a channel limited to 500 messages/s (`channels.rate_per_second`; the
 * account limit lifted) sends a campaign larger than it can finish in the window, for 20 s
 * (scaled, at least 5 s) from its first send; one worker, zero provider latency.
 * - rate-limit.achieved: sends the simulator received in [first send, first send + window) ÷
 *   window ÷ 500 (ratio to the limit);
 * - rate-limit.max-sliding-second: the most sends the simulator saw in any window of 1,000 ms
 *   (arrival times, to the millisecond) over the whole run — what a provider enforcing 500/s counts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resetLedger } from './bench-env.js';
import type { Benchmark } from './benchmark.js';
import type { Figure } from './figure.js';
import { sleep } from './processes.js';
import { createChannel, createDraftCampaign, vacuumAnalyze } from './seed.js';
import { busiestWindow, countBetween, countsPerBucket } from './sim/sliding-window.js';
import { startSim } from './sim/sim-control.js';
import { startStack } from './stack.js';
import { LIMITER_COUNTERS, scrapeCounters } from './worker-counters.js';

export const LIMIT_PER_SECOND = 500;

export const rateLimit: Benchmark = {
  name: 'rate-limit',
  async run({ env, details }) {
    const { runs, scale } = env.options;
    const windowMs = Math.max(5_000, Math.round(20_000 * scale));
    const recipients = Math.ceil(((LIMIT_PER_SECOND * windowMs) / 1000) * 1.3);
    const achieved: number[] = [];
    const maxSliding: number[] = [];
    const runDetails: unknown[] = [];
    for (let run = 1; run <= runs; run++) {
      await resetLedger(env.db);
      const sim = await startSim({ logDir: env.logDir });
      try {
        const channelId = await createChannel(env.db, sim, LIMIT_PER_SECOND);
        const campaignId = await createDraftCampaign(env.db, channelId, recipients, 'bench rate limit');
        await vacuumAnalyze(env.db);
        const stack = await startStack(env, { workers: 1, sim, label: `rate-limit-r${run}` });
        try {
          await stack.request('POST', `/v1/campaigns/${campaignId}/launch`);
          let firstAt: number | undefined;
          for (const t0 = Date.now(); firstAt === undefined; await sleep(20)) {
            stack.check();
            firstAt = (await sim.stats()).campaigns[campaignId]?.firstAt;
            if (Date.now() - t0 > 60_000) throw new Error('no send within 60 s of the launch');
          }
          await sleep(firstAt + windowMs + 200 - Date.now());
          const histogram = await sim.histogram();
          const inWindow = countBetween(histogram, firstAt, firstAt + windowMs);
          const busiest = busiestWindow(histogram);
          achieved.push(inWindow / (windowMs / 1000));
          maxSliding.push(busiest.count);
          // Where the sends went: per second of the window, where the busiest second ended (ms after
          // the first send) and what the limiter did; the arrivals themselves go beside the logs.
          runDetails.push({
            perSecond: countsPerBucket(histogram, firstAt, firstAt + windowMs),
            busiestEndsAfterMs: busiest.endsAt - firstAt,
            counters: await scrapeCounters(stack.workerMetricsUrls, LIMITER_COUNTERS),
            simStalls: (await sim.stats()).stalls.filter(([at]) => at >= firstAt).map(([at, ms]) => [at - firstAt, ms]),
          });
          writeFileSync(join(env.logDir, `rate-limit-r${run}-arrivals.json`), JSON.stringify({ firstAt, histogram }));
          env.say(`rate-limit run ${run}/${runs}: ${inWindow} sends in ${windowMs / 1000} s = ${(inWindow / (windowMs / 1000)).toFixed(1)}/s; busiest sliding second ${busiest.count}`);
        } finally {
          await stack.stop();
        }
      } finally {
        await sim.stop();
      }
    }
    await resetLedger(env.db);
    details.rateLimit = { limit: LIMIT_PER_SECOND, windowMs, recipients, runs: runDetails };
    const figures: Figure[] = [
      {
        name: 'rate-limit.achieved',
        unit: 'sends/s',
        samples: achieved,
        ratio: { reference: LIMIT_PER_SECOND, of: 'limit' },
        target: { op: '>=', value: 0.95, on: 'ratio' },
      },
      { name: 'rate-limit.max-sliding-second', unit: 'sends', samples: maxSliding, target: { op: '<=', value: LIMIT_PER_SECOND, on: 'value', stat: 'max' } },
    ];
    return figures;
  },
};
