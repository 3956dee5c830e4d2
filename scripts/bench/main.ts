/**
 * `npm run bench`: the benchmark suite of issue 7. Starts real processes (API, workers, the
 * provider simulator) against the local Postgres (its own database, campaign_dispatch_bench) and
 * Redis (a fresh queue prefix per run, deleted afterwards), measures each figure `--runs` times,
 * prints one table and writes it, with the machine it ran on, as JSON (docs/benchmarks.md).
 * Not part of `npm test`: a full run takes the better part of an hour and wants a quiet machine.
 */
import { writeFileSync } from 'node:fs';
import { openBenchEnv } from './bench-env.js';
import type { Benchmark, BenchContext } from './benchmark.js';
import { ceilings } from './ceilings.js';
import { dispatch } from './dispatch.js';
import { ratioOf, summarize, verdict, notMeasured, type Figure } from './figure.js';
import { ingest } from './ingest.js';
import { launch } from './launch.js';
import { ledgerGrowth } from './ledger-growth.js';
import { loadAverage, machineInfo } from './machine.js';
import { BENCHMARK_NAMES, parseOptions, type BenchmarkName } from './options.js';
import { REPO_ROOT } from './paths.js';
import { rateLimit } from './rate-limit.js';
import { scheduling } from './scheduling.js';
import { formatTable } from './table.js';

const ALL: Record<BenchmarkName, Benchmark> = {
  ceilings,
  dispatch,
  ingest,
  launch,
  'rate-limit': rateLimit,
  scheduling,
  ledger: ledgerGrowth,
};

/** The selected benchmarks plus what their ratios need, in the canonical order. */
function plan(selected: readonly BenchmarkName[]): BenchmarkName[] {
  const wanted = new Set(selected);
  for (const name of selected) for (const need of ALL[name].needs ?? []) wanted.add(need);
  return BENCHMARK_NAMES.filter((n) => wanted.has(n));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), REPO_ROOT);
  const startedAt = new Date();
  const loadStart = loadAverage();
  const env = await openBenchEnv(options);
  const ctx: BenchContext = { env, results: new Map(), details: {} };
  const figures: Figure[] = [];
  const failures: Record<string, string> = {};
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    env.say('SIGINT: finishing the current run, then writing what was measured');
  });
  try {
    const machine = await machineInfo(env.db, env.redis);
    env.say(`${machine.cpuModel} × ${machine.cores}, load ${loadStart.join(' ')}; scale ${options.scale}, ${options.runs} run(s); logs in ${env.logDir}`);
    for (const name of plan(options.only)) {
      if (interrupted) break;
      env.say(`— ${name}`);
      try {
        for (const f of await ALL[name].run(ctx)) {
          figures.push(f);
          ctx.results.set(f.name, f);
        }
      } catch (err) {
        // One benchmark failing must not lose the others' figures.
        const why = err instanceof Error ? err.message : String(err);
        failures[name] = why;
        env.say(`${name} failed: ${why}`);
        figures.push(notMeasured(`${name}.*`, '', `failed: ${why.split('\n')[0]!.slice(0, 160)}`));
      }
    }
    const loadEnd = loadAverage();
    const table = formatTable(figures);
    process.stdout.write(`\n${table}\n\nload average (1/5/15 min): start ${loadStart.join(' ')}, end ${loadEnd.join(' ')}; scale ${options.scale}; ${options.runs} run(s)\n`);
    const result = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      options: { only: options.only, runs: options.runs, scale: options.scale, profile: options.profile },
      machine,
      loadAverage: { start: loadStart, end: loadEnd },
      figures: figures.map((f) => ({ ...f, ...summarize(f.samples), ratioValue: ratioOf(f), pass: verdict(f) })),
      failures,
      details: ctx.details,
      table,
    };
    writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`written to ${options.out}\n`);
    if (Object.keys(failures).length) process.exitCode = 1;
  } finally {
    await env.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
