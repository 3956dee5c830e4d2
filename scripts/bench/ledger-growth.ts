/**
 * Benchmark 7 — ledger growth: does dispatch slow down as the ledger fills? The dispatch run of
 * benchmark 2 (1 worker, 0 ms latency, 200,000 recipients at scale 1) is repeated in a database
 * already holding 10,000,000 recipient rows (at scale 1) of finished campaigns.
 * - ledger.rate-with-old-rows: sends/s, with its ratio to the same run on an empty ledger — taken
 *   from `dispatch.rate.1w-0ms` when benchmark 2 ran in this bench run, else measured here first.
 * - ledger.cpu-per-send-with-old-rows: as dispatch.cpu-per-send.
 * Each run's new campaign is deleted afterwards, so every run starts from the same old rows.
 */
import { resetLedger } from './bench-env.js';
import type { Benchmark } from './benchmark.js';
import { earlierMedian } from './benchmark.js';
import { CPU_TARGET } from './dispatch.js';
import type { Figure } from './figure.js';
import { summarize } from './figure.js';
import { loadOldRows } from './old-rows.js';
import { scaled } from './options.js';
import { runDispatch, type DispatchRun } from './run-dispatch.js';

export const ledgerGrowth: Benchmark = {
  name: 'ledger',
  async run(ctx) {
    const { env } = ctx;
    const { runs, scale } = env.options;
    const recipients = scaled(200_000, scale, 500);
    const oldRows = scaled(10_000_000, scale, 10_000);
    const settings = { recipients, workers: 1, latencyMs: 0 };

    let baseline = earlierMedian(ctx, 'dispatch.rate.1w-0ms');
    let baselineFrom = 'dispatch.rate.1w-0ms';
    const emptyRuns: DispatchRun[] = [];
    if (baseline === undefined) {
      baselineFrom = 'measured here on an empty ledger';
      for (let run = 1; run <= runs; run++) {
        const r = await runDispatch(env, { ...settings, label: `ledger-empty-r${run}` });
        emptyRuns.push(r);
        env.say(`ledger (empty) run ${run}/${runs}: ${Math.round(r.rate)}/s`);
      }
      baseline = summarize(emptyRuns.map((r) => r.rate))!.median;
    }

    await resetLedger(env.db);
    const loadSeconds = await loadOldRows(env.db, oldRows, env.say);
    const withOld: DispatchRun[] = [];
    try {
      for (let run = 1; run <= runs; run++) {
        const r = await runDispatch(env, { ...settings, keepLedger: true, label: `ledger-old-r${run}` });
        withOld.push(r);
        env.say(`ledger (${oldRows} old rows) run ${run}/${runs}: ${Math.round(r.rate)}/s, ${r.cpuMsPerSend.toFixed(3)} CPU ms/send`);
      }
    } finally {
      await resetLedger(env.db);
    }
    ctx.details.ledger = { recipients, oldRows, loadSeconds, baselineFrom, emptyRuns, withOld };
    const figures: Figure[] = [
      {
        name: 'ledger.rate-with-old-rows',
        unit: 'sends/s',
        samples: withOld.map((r) => r.rate),
        ratio: { reference: baseline, of: 'empty ledger' },
        target: { op: '>=', value: 0.9, on: 'ratio' },
        note: `${oldRows.toLocaleString('en-US')} old rows; baseline ${baselineFrom}`,
      },
      { name: 'ledger.cpu-per-send-with-old-rows', unit: 'ms', samples: withOld.map((r) => r.cpuMsPerSend), target: CPU_TARGET },
    ];
    if (emptyRuns.length) figures.unshift({ name: 'ledger.rate-empty', unit: 'sends/s', samples: emptyRuns.map((r) => r.rate) });
    return figures;
  },
};
