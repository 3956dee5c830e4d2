/**
 * npm run demo: the main job end to end on this machine — two campaigns of 10,000 recipients each
 * (Yeastar SMS and Connectly SMS) through the real API and worker processes to in-process provider
 * simulators, with live progress and an exactly-once check. Needs Postgres and Redis (see README).
 * Exits 0 when every recipient got exactly one message, 1 otherwise.
 */
import { loadConfig } from '../src/config/config.js';
import { createCleanup } from './demo/cleanup.js';
import { parseDemoOptions } from './demo/options.js';
import { ServicesUnreachable } from './demo/preflight.js';
import { runDemo } from './demo/run.js';

const say = (message: string) => console.log(message);
const complain = (message: string) => console.error(message);

async function main(): Promise<number> {
  const options = parseDemoOptions(process.argv, process.env);
  const config = loadConfig();
  const cleanup = createCleanup(complain);

  // Ctrl-C (or a SIGTERM) mid-run still stops the children, closes the simulators and deletes
  // the queue keys; a second Ctrl-C gives up on a clean stop.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    complain(`\n${signal}: stopping the API, the worker and the simulators…`);
    cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const ok = await runDemo({ config, options, cleanup, say });
    say(ok ? 'Demo passed: every recipient got exactly one message.' : 'Demo FAILED: see the check above.');
    return ok ? 0 : 1;
  } catch (err) {
    if (interrupted) return 130;
    complain(err instanceof ServicesUnreachable ? err.message : `demo failed: ${(err as Error).message}`);
    return 1;
  } finally {
    // Also after a Ctrl-C: the signal handler's cleanup may still be running, and exiting now
    // would cut it short. run() is idempotent and returns the same promise.
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Only option parsing and configuration errors get here.
    complain((err as Error).message);
    process.exit(1);
  },
);
