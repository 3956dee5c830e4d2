/** `npm run chaos -- [--recipients 20000] [--only a,b] [--ci] [--fault-seconds 30] [--results-file f] …` */
import { Command, InvalidArgumentError } from 'commander';
import { SCENARIOS } from './scenarios/index.js';

/**
 * What `--ci` changes, unless the option is given explicitly: every scenario, at sizes that fit CI
 * (about 6 minutes on a shared 2-core box — docs/chaos.md has the measurements). 2,000 recipients
 * keep each campaign long enough for its fault to land mid-send; 10 s provider faults still outlast
 * the breaker's cool-down and two Retry-After waits; a campaign stuck 4 minutes fails its scenario
 * instead of eating CI's whole time limit.
 */
export const CI_DEFAULTS = { recipients: 2_000, faultSeconds: 10, timeout: 240 } as const;

export interface ChaosOptions {
  recipients: number;
  scenarios: string[];
  faultMs: number;
  uploadRows: number;
  timeoutMs: number;
  /** Also write results.json here (CI reads it to count scenarios into its summary line). */
  resultsFile?: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function parseOptions(argv: string[]): ChaosOptions {
  const names = SCENARIOS.map((s) => s.name);
  const program = new Command('chaos')
    .description('Fault-injection suite: real processes, one fault per scenario, ledger audited against the provider simulator.')
    .option('--recipients <n>', 'recipients per campaign (the issue: at least 20,000)', positiveInt, 20_000)
    .option('--only <names>', `comma-separated scenarios (${names.join(', ')}); baseline always runs`)
    .option('--ci', `CI's run: every scenario, by default ${CI_DEFAULTS.recipients} recipients, ${CI_DEFAULTS.faultSeconds} s faults, ${CI_DEFAULTS.timeout} s timeout`)
    .option('--fault-seconds <n>', 'how long provider faults last', positiveInt, 30)
    .option('--upload-rows <n>', 'rows of the CSV upload scenario', positiveInt, 100_000)
    .option('--timeout <s>', 'seconds a campaign may take before unfinished recipients count as lost', positiveInt, 900)
    .option('--results-file <path>', 'also write results.json to this path')
    .parse(argv);
  const o = program.opts<{ recipients: number; only?: string; ci?: boolean; faultSeconds: number; uploadRows: number; timeout: number; resultsFile?: string }>();
  if (o.ci) {
    for (const key of Object.keys(CI_DEFAULTS) as (keyof typeof CI_DEFAULTS)[]) {
      if (program.getOptionValueSource(key) === 'default') o[key] = CI_DEFAULTS[key];
    }
  }
  let scenarios = o.only ? o.only.split(',').map((s) => s.trim()) : names;
  const unknown = scenarios.filter((s) => !names.includes(s));
  if (unknown.length) throw new InvalidArgumentError(`unknown scenario(s): ${unknown.join(', ')}`);
  if (!scenarios.includes('baseline')) scenarios = ['baseline', ...scenarios];
  return {
    recipients: o.recipients,
    scenarios,
    faultMs: o.faultSeconds * 1000,
    uploadRows: o.uploadRows,
    timeoutMs: o.timeout * 1000,
    resultsFile: o.resultsFile,
  };
}
