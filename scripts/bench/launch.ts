/**
 * Benchmark 4 — launch: a 1,000,000-recipient draft campaign (at scale 1; rows made in SQL) is
 * launched over the API with one worker process running.
 * - launch.first-send: from just before the launch request to the simulator's arrival time of the
 *   campaign's first send (ms) — API transition, launch job, first fan-out chunk, first claim, send;
 * - launch.redis-peak: Redis `used_memory` sampled every 100 ms, peak minus the level just before
 *   the launch (MB). Sampled from the launch until the fan-out has enqueued every recipient and
 *   5 s beyond, or for SAMPLE_MAX_MS at most: the fan-out tops the queue up to FAN_OUT_AHEAD and
 *   then keeps it there (src/dispatch/fan-out.ts), so the level is reached within seconds and the
 *   fan-out itself only completes near the campaign's end. The campaign is then abandoned.
 * - launch.fan-out: launch → fan_out_completed_at (s), or NaN when the fan-out was still topping
 *   up the queue at the end of the window (bounded, as it should be).
 */
import { resetLedger } from './bench-env.js';
import type { Benchmark } from './benchmark.js';
import { waitCampaign } from './campaign-watch.js';
import type { Figure } from './figure.js';
import { scaled } from './options.js';
import { sleep } from './processes.js';
import { sampleMemory, usedMemory } from './redis-stats.js';
import { createChannel, createDraftCampaign, vacuumAnalyze } from './seed.js';
import { startSim } from './sim/sim-control.js';
import { startStack } from './stack.js';

const MB = 1024 * 1024;
const AFTER_FAN_OUT_MS = 5_000;
/** Longest memory sampling window after the launch. */
const SAMPLE_MAX_MS = 60_000;

export const launch: Benchmark = {
  name: 'launch',
  async run({ env, details }) {
    const { runs, scale } = env.options;
    const recipients = scaled(1_000_000, scale, 1_000);
    const firstSend: number[] = [];
    const redisPeak: number[] = [];
    const fanOut: number[] = [];
    for (let run = 1; run <= runs; run++) {
      await resetLedger(env.db);
      const sim = await startSim({ logDir: env.logDir });
      try {
        const channelId = await createChannel(env.db, sim);
        const campaignId = await createDraftCampaign(env.db, channelId, recipients, 'bench launch');
        await vacuumAnalyze(env.db);
        const stack = await startStack(env, { workers: 1, sim, label: `launch-r${run}` });
        try {
          const baseline = await usedMemory(env.redis);
          const memory = sampleMemory(env.redis);
          const t0 = Date.now();
          await stack.request('POST', `/v1/campaigns/${campaignId}/launch`);
          let firstAt: number | undefined;
          while (firstAt === undefined) {
            stack.check();
            firstAt = (await sim.stats()).campaigns[campaignId]?.firstAt;
            if (firstAt === undefined) {
              if (Date.now() - t0 > 60_000) throw new Error('no send within 60 s of the launch');
              await sleep(5);
            }
          }
          let times: Awaited<ReturnType<typeof waitCampaign>> | undefined;
          try {
            times = await waitCampaign(env.db, campaignId, (t) => t.fanOutCompletedAt !== null || t.status !== 'running', {
              timeoutMs: Math.max(1_000, SAMPLE_MAX_MS - (Date.now() - t0)),
              check: stack.check,
            });
            await sleep(AFTER_FAN_OUT_MS);
          } catch (err) {
            // Still fanning out at the end of the window: the bounded fan-out is keeping the queue topped up.
            if (!(err instanceof Error && /did not get there within/.test(err.message))) {
              await memory.stop();
              throw err;
            }
          }
          const peak = await memory.stop();
          firstSend.push(firstAt - t0);
          redisPeak.push((peak - baseline) / MB);
          const fanOutSeconds = times?.fanOutCompletedAt ? (times.fanOutCompletedAt.getTime() - t0) / 1000 : NaN;
          fanOut.push(fanOutSeconds);
          env.say(
            `launch run ${run}/${runs}: first send after ${firstAt - t0} ms; Redis +${((peak - baseline) / MB).toFixed(1)} MB (baseline ${(baseline / MB).toFixed(1)} MB); fan-out ${fanOutSeconds.toFixed(1)} s`,
          );
        } finally {
          await stack.stop();
        }
      } finally {
        await sim.stop();
      }
    }
    await resetLedger(env.db);
    details.launch = { recipients };
    const figures: Figure[] = [
      { name: 'launch.first-send', unit: 'ms', samples: firstSend, target: { op: '<=', value: 1000, on: 'value' } },
      { name: 'launch.redis-peak', unit: 'MB', samples: redisPeak, target: { op: '<=', value: 64, on: 'value' }, note: 'growth over pre-launch used_memory' },
      { name: 'launch.fan-out', unit: 's', samples: fanOut },
    ];
    return figures;
  },
};
