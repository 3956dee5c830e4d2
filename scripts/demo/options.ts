/** The demo's command line: `npm run demo -- --recipients 2000`. */
import { Command, InvalidArgumentError } from 'commander';
import { DEMO_NUMBER_CAPACITY } from './numbers.js';

export interface DemoOptions {
  /** Recipients per campaign (one campaign per provider). */
  recipients: number;
  /** Give up when the campaigns have not completed after this long. */
  timeoutMs: number;
  /** Give up when no recipient has finished for this long: something is stuck, waiting won't help. */
  stallMs: number;
}

function positiveInt(max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    }
    return value;
  };
}

export function parseDemoOptions(argv: string[], env: NodeJS.ProcessEnv): DemoOptions {
  const recipients = positiveInt(DEMO_NUMBER_CAPACITY);
  const seconds = positiveInt(24 * 3600);
  let fromEnv = 10_000;
  if (env.DEMO_RECIPIENTS) {
    try {
      fromEnv = recipients(env.DEMO_RECIPIENTS);
    } catch (err) {
      throw new Error(`DEMO_RECIPIENTS: ${(err as Error).message}, got "${env.DEMO_RECIPIENTS}"`);
    }
  }
  const program = new Command('npm run demo --')
    .description('Sends two campaigns (Yeastar SMS and Connectly SMS) through the real API and worker to the provider simulators.')
    .option('--recipients <n>', 'recipients per campaign (or DEMO_RECIPIENTS)', recipients, fromEnv)
    .option('--timeout <seconds>', 'give up after this many seconds', seconds, 600)
    .option('--stall <seconds>', 'give up when nothing finishes for this many seconds', seconds, 60)
    .showHelpAfterError()
    .parse(argv);
  const opts = program.opts<{ recipients: number; timeout: number; stall: number }>();
  return { recipients: opts.recipients, timeoutMs: opts.timeout * 1000, stallMs: opts.stall * 1000 };
}
