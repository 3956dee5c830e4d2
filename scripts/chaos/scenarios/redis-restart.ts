/**
 * Redis killed and restarted (empty: no persistence) mid-campaign, down for a few seconds: every
 * connection drops and every key is gone. Workers must reconnect without crashing, and the
 * reconciler must rebuild the queue from Postgres.
 */
import { waitForProgress } from '../campaign-run.js';
import { runCampaignScenario } from './campaign-scenario.js';
import type { Scenario } from './scenario.js';

const DOWN_MS = 5_000;

export const redisRestart: Scenario = {
  name: 'redis-restart',
  fault: `redis-server SIGKILLed at 30%, restarted empty after ${DOWN_MS / 1000} s`,
  run: (ctx) =>
    runCampaignScenario(ctx, 'redis-restart', async ({ stack, run, note }) => {
      await waitForProgress(stack, run, 0.3);
      const at = Date.now();
      await stack.infra.redis.restart(DOWN_MS);
      note(`restarted at +${((at - run.startedAt) / 1000).toFixed(1)} s`);
    }),
};
