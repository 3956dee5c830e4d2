/**
 * Benchmark 1 — ceilings, measured in the same run as everything they are compared with:
 * - ceilings.bullmq-add: `addBulk` rate of send-shaped jobs (jobs/s);
 * - ceilings.bullmq-process: no-op processing rate at the worker's concurrency (jobs/s);
 * - ceilings.client: our got-based provider client against the simulator (requests/s).
 * Dispatch figures are divided by min(bullmq-process, client): what the queue alone and the HTTP
 * client alone could do, so a ratio near 1 means the rest of the send path costs little.
 * Sizes: 200,000 jobs and 100,000 requests at scale 1.
 */
import { loadConfig } from '../../src/config/config.js';
import type { Benchmark } from './benchmark.js';
import { measureBullmqCeiling } from './bullmq-ceiling.js';
import { measureClientCeiling } from './client-ceiling.js';
import type { Figure } from './figure.js';
import { scaled } from './options.js';
import { startSim } from './sim/sim-control.js';

/** The concurrency a worker process runs sends at (WORKER_CONCURRENCY, default 200). */
export const SEND_CONCURRENCY = loadConfig({ WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY }).workerConcurrency;

export const ceilings: Benchmark = {
  name: 'ceilings',
  async run({ env, details }) {
    const { runs, scale } = env.options;
    const jobs = scaled(200_000, scale, 1_000);
    const requests = scaled(100_000, scale, 1_000);
    const add: number[] = [];
    const process_: number[] = [];
    const client: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const q = await measureBullmqCeiling({ redisUrl: env.redisUrl, prefix: env.newPrefix(), jobs, concurrency: SEND_CONCURRENCY });
      add.push(q.addPerSecond);
      process_.push(q.processPerSecond);
      const sim = await startSim({ logDir: env.logDir });
      try {
        client.push(await measureClientCeiling(sim, { requests, concurrency: SEND_CONCURRENCY }));
      } finally {
        await sim.stop();
      }
      env.say(`ceilings run ${run}/${runs}: addBulk ${Math.round(q.addPerSecond)}/s, no-op ${Math.round(q.processPerSecond)}/s, client ${Math.round(client.at(-1)!)}/s`);
    }
    details.ceilings = { jobs, requests, concurrency: SEND_CONCURRENCY };
    const figures: Figure[] = [
      { name: 'ceilings.bullmq-add', unit: 'jobs/s', samples: add },
      { name: 'ceilings.bullmq-process', unit: 'jobs/s', samples: process_, note: `no-op processor, concurrency ${SEND_CONCURRENCY}` },
      { name: 'ceilings.client', unit: 'req/s', samples: client, note: `got client → simulator, ${SEND_CONCURRENCY} in flight` },
    ];
    return figures;
  },
};
