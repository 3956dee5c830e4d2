/**
 * Benchmark 2 — dispatch: a 200,000-recipient campaign (at scale 1) sent end to end against the
 * simulator in its own process, outcomes written to the ledger (run-dispatch.ts says exactly what
 * is timed and what CPU is counted). Four variants, interleaved run by run so drift on the box
 * spreads over all of them:
 *   1 worker, 0 ms provider latency · 1 worker, 50 ms · 2 workers, 0 ms · 4 workers, 0 ms
 * Every worker process runs at WORKER_CONCURRENCY (default 200).
 * Figures per variant: sends/s with its ratio to min(BullMQ no-op ceiling, client ceiling) — both
 * measured by `ceilings` in this same bench run — and CPU ms per sent message over our processes,
 * Redis and Postgres. For the first variant also: the simulator's CPU per message (not ours) and
 * Postgres transactions / Redis commands per message.
 */
import { resetLedger } from './bench-env.js';
import type { Benchmark, BenchContext } from './benchmark.js';
import { earlierMedian } from './benchmark.js';
import type { Figure, Target } from './figure.js';
import { scaled } from './options.js';
import { runDispatch, type DispatchRun } from './run-dispatch.js';

export const RATIO_TARGET: Target = { op: '>=', value: 0.6, on: 'ratio' };
export const CPU_TARGET: Target = { op: '<=', value: 0.5, on: 'value' };

interface Variant {
  id: string;
  workers: number;
  latencyMs: number;
}

export const VARIANTS: readonly Variant[] = [
  { id: '1w-0ms', workers: 1, latencyMs: 0 },
  { id: '1w-50ms', workers: 1, latencyMs: 50 },
  { id: '2w-0ms', workers: 2, latencyMs: 0 },
  { id: '4w-0ms', workers: 4, latencyMs: 0 },
];

/** min(BullMQ no-op rate, client rate) from this bench run, if both were measured. */
export function dispatchCeiling(ctx: BenchContext): number | undefined {
  const queue = earlierMedian(ctx, 'ceilings.bullmq-process');
  const client = earlierMedian(ctx, 'ceilings.client');
  return queue !== undefined && client !== undefined ? Math.min(queue, client) : undefined;
}

export const dispatch: Benchmark = {
  name: 'dispatch',
  needs: ['ceilings'],
  async run(ctx) {
    const { env } = ctx;
    const { runs, scale } = env.options;
    const recipients = scaled(200_000, scale, 500);
    const chosen = env.options.variants ? VARIANTS.filter((v) => env.options.variants!.includes(v.id)) : VARIANTS;
    if (chosen.length === 0) throw new Error(`--variants: none of ${VARIANTS.map((v) => v.id).join(', ')}`);
    const byVariant = new Map<string, DispatchRun[]>(chosen.map((v) => [v.id, []]));
    for (let run = 1; run <= runs; run++) {
      for (const v of chosen) {
        const r = await runDispatch(env, { recipients, workers: v.workers, latencyMs: v.latencyMs, label: `dispatch-${v.id}-r${run}` });
        byVariant.get(v.id)!.push(r);
        env.say(
          `dispatch ${v.id} run ${run}/${runs}: ${r.sent} sent in ${r.seconds.toFixed(1)} s = ${Math.round(r.rate)}/s, ` +
            `${r.cpuMsPerSend.toFixed(3)} CPU ms/send (ours ${(r.cpu.ms.ours / r.sent).toFixed(3)}, redis ${(r.cpu.ms.redis / r.sent).toFixed(3)}, pg ${(r.cpu.ms.postgres / r.sent).toFixed(3)}; sim ${r.simulatorCpuMsPerSend.toFixed(3)})`,
        );
      }
    }
    await resetLedger(env.db);
    ctx.details.dispatch = { recipients, runs: Object.fromEntries(byVariant) };

    const ceiling = dispatchCeiling(ctx);
    const ratio = ceiling ? { reference: ceiling, of: 'min(ceilings)' } : undefined;
    const figures: Figure[] = [];
    for (const v of chosen) {
      const rs = byVariant.get(v.id)!;
      figures.push({
        name: `dispatch.rate.${v.id}`,
        unit: 'sends/s',
        samples: rs.map((r) => r.rate),
        target: RATIO_TARGET,
        ...(ratio ? { ratio } : { note: 'no ratio: ceilings not measured in this run' }),
      });
      figures.push({ name: `dispatch.cpu-per-send.${v.id}`, unit: 'ms', samples: rs.map((r) => r.cpuMsPerSend), target: CPU_TARGET });
    }
    const base = byVariant.get('1w-0ms') ?? [];
    if (base.length) figures.push(
      { name: 'dispatch.sim-cpu-per-send.1w-0ms', unit: 'ms', samples: base.map((r) => r.simulatorCpuMsPerSend), note: 'the simulator: not ours' },
      { name: 'dispatch.pg-xacts-per-send.1w-0ms', unit: 'xacts', samples: base.map((r) => r.pgPerSend.xactCommit), note: '≈ statements (autocommit)' },
      {
        name: 'dispatch.redis-calls-per-send.1w-0ms',
        unit: 'calls',
        samples: base.map((r) => Object.values(r.redisCallsPerSend).reduce((a, b) => a + b, 0)),
        note: 'server-wide INFO commandstats',
      },
    );
    return figures;
  },
};
