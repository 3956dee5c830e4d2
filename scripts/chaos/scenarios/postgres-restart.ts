/**
 * Postgres stopped (fast: connections terminated) mid-campaign and started again a few seconds
 * later. Workers must not crash-loop, and no outcome may be lost: a send whose outcome write failed
 * is re-sent with the same key and recorded once Postgres is back.
 */
import { waitForProgress } from '../campaign-run.js';
import { runCampaignScenario, sleep } from './campaign-scenario.js';
import type { Scenario } from './scenario.js';

const DOWN_MS = 10_000;

export const postgresRestart: Scenario = {
  name: 'postgres-restart',
  fault: `Postgres stopped (-m fast) at 30%, started after ${DOWN_MS / 1000} s`,
  run: (ctx) =>
    runCampaignScenario(ctx, 'postgres-restart', async ({ stack, run, note }) => {
      await waitForProgress(stack, run, 0.3);
      const at = Date.now();
      stack.infra.postgres.stop();
      await sleep(DOWN_MS);
      stack.infra.postgres.start();
      note(`down from +${((at - run.startedAt) / 1000).toFixed(1)} s for ${((Date.now() - at) / 1000).toFixed(1)} s`);
    }),
};
