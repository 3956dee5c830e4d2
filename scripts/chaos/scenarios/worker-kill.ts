/**
 * A worker SIGKILLed every few seconds, in turn, and restarted a second later — mid-claim,
 * mid-request, mid-outcome-write. Proves the claim + lease + same-key re-send: the killed worker's
 * jobs come back through BullMQ's stalled check, wait out their lease, and re-send with the same
 * idempotency key; none is lost and none reaches the phone twice.
 */
import { waitForProgress } from '../campaign-run.js';
import { runCampaignScenario, sleep } from './campaign-scenario.js';
import type { Scenario } from './scenario.js';

const KILL_EVERY_MS = 5_000;
const RESTART_AFTER_MS = 1_000;

export const workerKill: Scenario = {
  name: 'worker-kill',
  fault: `SIGKILL a worker every ${KILL_EVERY_MS / 1000} s (round robin), restart after ${RESTART_AFTER_MS / 1000} s`,
  run: (ctx) =>
    runCampaignScenario(ctx, 'worker-kill', async ({ stack, run, done, note }) => {
      await waitForProgress(stack, run, 0.05);
      let kills = 0;
      while (!done()) {
        const victim = stack.workers[kills % stack.workers.length]!;
        if (victim.running()) {
          await victim.kill(RESTART_AFTER_MS);
          kills++;
        }
        await sleep(KILL_EVERY_MS);
      }
      note(`${kills} SIGKILLs`);
    }),
};
