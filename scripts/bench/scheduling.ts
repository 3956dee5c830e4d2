/**
 * Benchmark 6 — scheduling: 20 campaigns created over the API with `send_type: schedule` and
 * send_times one second apart, starting ~4 s ahead (send_time is in whole Unix seconds); 10
 * recipients each; one worker. A campaign's lateness is the simulator's arrival time of its first
 * send minus its send_time (negative: early).
 * - scheduling.lateness-max: the latest of the 20 in a run (ms); the target holds the worst run;
 * - scheduling.lateness-median: the median of the 20 in a run (ms).
 */
import { resetLedger } from './bench-env.js';
import type { Benchmark } from './benchmark.js';
import type { Figure } from './figure.js';
import { summarize } from './figure.js';
import { sleep } from './processes.js';
import { BENCH_CONTENT, createChannel } from './seed.js';
import { startSim } from './sim/sim-control.js';
import { startStack } from './stack.js';

const CAMPAIGNS = 20;
const RECIPIENTS_EACH = 10;
const LEAD_SECONDS = 4;

export const scheduling: Benchmark = {
  name: 'scheduling',
  async run({ env, details }) {
    const { runs } = env.options;
    const maxes: number[] = [];
    const medians: number[] = [];
    const perRun: number[][] = [];
    for (let run = 1; run <= runs; run++) {
      await resetLedger(env.db);
      const sim = await startSim({ logDir: env.logDir });
      try {
        const channelId = await createChannel(env.db, sim);
        const stack = await startStack(env, { workers: 1, sim, label: `scheduling-r${run}` });
        try {
          const base = Math.ceil(Date.now() / 1000) + LEAD_SECONDS;
          const scheduled: { id: string; sendTime: number }[] = [];
          for (let i = 0; i < CAMPAIGNS; i++) {
            const sendTime = base + i;
            const created = await stack.request<{ id: string; status: string }>('POST', '/v1/campaigns', {
              name: `bench scheduled ${i}`,
              channel_id: channelId,
              recipient_type: 'input',
              number_list: Array.from({ length: RECIPIENTS_EACH }, (_, k) => ({
                number: `+86138${String(i * 1000 + k).padStart(8, '0')}`,
                variables: { name: `Customer ${k}` },
              })),
              content_type: 'text',
              content: BENCH_CONTENT,
              send_type: 'schedule',
              send_time: sendTime,
            });
            if (created.status !== 'scheduled') throw new Error(`campaign created ${created.status}, not scheduled (the bench took too long?)`);
            scheduled.push({ id: created.id, sendTime: sendTime * 1000 });
          }
          await sleep(base * 1000 + CAMPAIGNS * 1000 + 3_000 - Date.now());
          stack.check();
          const seen = (await sim.stats()).campaigns;
          const lateness = scheduled.map((c) => {
            const first = seen[c.id]?.firstAt;
            if (first === undefined) throw new Error(`scheduled campaign ${c.id} sent nothing within 3 s of its send_time`);
            return first - c.sendTime;
          });
          perRun.push(lateness);
          maxes.push(Math.max(...lateness));
          medians.push(summarize(lateness)!.median);
          env.say(`scheduling run ${run}/${runs}: lateness median ${medians.at(-1)} ms, max ${maxes.at(-1)} ms, min ${Math.min(...lateness)} ms`);
        } finally {
          await stack.stop();
        }
      } finally {
        await sim.stop();
      }
    }
    await resetLedger(env.db);
    details.scheduling = { campaigns: CAMPAIGNS, recipientsEach: RECIPIENTS_EACH, latenessMs: perRun };
    const figures: Figure[] = [
      { name: 'scheduling.lateness-max', unit: 'ms', samples: maxes, target: { op: '<=', value: 1000, on: 'value', stat: 'max' } },
      { name: 'scheduling.lateness-median', unit: 'ms', samples: medians },
    ];
    return figures;
  },
};
