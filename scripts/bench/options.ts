/**
 * `npm run bench -- [--only a,b] [--runs N] [--scale F] [--out file] [--profile]`
 * --only     benchmark names (ceilings, dispatch, ingest, launch, rate-limit, scheduling, ledger)
 * --runs     runs per figure (default 3; the median needs at least 3 to mean anything)
 * --scale    multiplies every size (200,000 recipients at 1; 0.05 → 10,000) for development runs;
 *            figures at a scale other than 1 are not comparable with the targets' intent
 * --out      the JSON result file (default bench-results/<timestamp>.json)
 * --profile  run the worker processes under `node --cpu-prof` and count the statements and Redis
 *            commands each issues (profile/…); the profiles land beside the JSON file
 * --variants dispatch variants to run (default all: 1w-0ms,1w-50ms,2w-0ms,4w-0ms)
 */
import { join } from 'node:path';

export const BENCHMARK_NAMES = ['ceilings', 'dispatch', 'ingest', 'launch', 'rate-limit', 'scheduling', 'ledger'] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

export interface BenchOptions {
  only: BenchmarkName[];
  runs: number;
  scale: number;
  out: string;
  profile: boolean;
  /** Dispatch variant ids to run; undefined: all. */
  variants?: string[];
}

function isName(value: string): value is BenchmarkName {
  return (BENCHMARK_NAMES as readonly string[]).includes(value);
}

export function parseOptions(argv: readonly string[], repoRoot: string, now = new Date()): BenchOptions {
  const options: BenchOptions = {
    only: [...BENCHMARK_NAMES],
    runs: 3,
    scale: 1,
    out: join(repoRoot, 'bench-results', `${now.toISOString().replace(/[:.]/g, '-')}.json`),
    profile: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--only') {
      const names = value().split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !isName(n));
      if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARK_NAMES.join(', ')}`);
      options.only = names as BenchmarkName[];
    } else if (flag === '--runs') {
      options.runs = Number(value());
      if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a whole number ≥ 1');
    } else if (flag === '--scale') {
      options.scale = Number(value());
      if (!(options.scale > 0)) throw new Error('--scale must be a positive number');
    } else if (flag === '--out') {
      options.out = value();
    } else if (flag === '--variants') {
      options.variants = value().split(',').map((s) => s.trim()).filter(Boolean);
    } else if (flag === '--profile') {
      options.profile = true;
    } else {
      throw new Error(`unknown flag ${flag}`);
    }
  }
  return options;
}

/** A size scaled by --scale, never below `floor`. */
export function scaled(size: number, scale: number, floor = 1): number {
  return Math.max(floor, Math.round(size * scale));
}
