/** The shape every benchmark module has: run `options.runs` times, return its figures. */
import type { BenchEnv } from './bench-env.js';
import type { Figure } from './figure.js';
import type { BenchmarkName } from './options.js';

export interface BenchContext {
  env: BenchEnv;
  /** Figures measured earlier in this bench run, by name (ratios refer to them). */
  results: Map<string, Figure>;
  /** Per-run raw data for the JSON file, by benchmark. */
  details: Record<string, unknown>;
}

export interface Benchmark {
  name: BenchmarkName;
  /** Benchmarks whose figures this one's ratios need; run first when not selected. */
  needs?: BenchmarkName[];
  run(ctx: BenchContext): Promise<Figure[]>;
}

/** The median of a figure measured earlier in this run, if it was. */
export function earlierMedian(ctx: BenchContext, name: string): number | undefined {
  const samples = ctx.results.get(name)?.samples ?? [];
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
