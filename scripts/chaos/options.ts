/** `npm run chaos -- [--recipients 20000] [--only a,b] [--ci] [--fault-seconds 30] …` */
import { Command, InvalidArgumentError } from 'commander';
import { SCENARIOS } from './scenarios/index.js';

/** The scenarios that fit CI's time (see docs/chaos.md for their measured durations). */
export const CI_SCENARIOS = ['baseline', 'postgres-restart', 'provider-503', 'provider-429', 'provider-hang', 'api-kill-upload'];

export interface ChaosOptions {
  recipients: number;
  scenarios: string[];
  faultMs: number;
  uploadRows: number;
  timeoutMs: number;
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
    .option('--ci', 'only the scenarios that fit in CI')
    .option('--fault-seconds <n>', 'how long provider faults last', positiveInt, 30)
    .option('--upload-rows <n>', 'rows of the CSV upload scenario', positiveInt, 100_000)
    .option('--timeout <s>', 'seconds a campaign may take before unfinished recipients count as lost', positiveInt, 900)
    .parse(argv);
  const o = program.opts<{ recipients: number; only?: string; ci?: boolean; faultSeconds: number; uploadRows: number; timeout: number }>();
  let scenarios = o.only ? o.only.split(',').map((s) => s.trim()) : o.ci ? CI_SCENARIOS : names;
  const unknown = scenarios.filter((s) => !names.includes(s));
  if (unknown.length) throw new InvalidArgumentError(`unknown scenario(s): ${unknown.join(', ')}`);
  if (!scenarios.includes('baseline')) scenarios = ['baseline', ...scenarios];
  return { recipients: o.recipients, scenarios, faultMs: o.faultSeconds * 1000, uploadRows: o.uploadRows, timeoutMs: o.timeout * 1000 };
}
