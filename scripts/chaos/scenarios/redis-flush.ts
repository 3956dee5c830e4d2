/**
 * Redis FLUSHALL mid-campaign: every job, lock, rate-limit and breaker key is gone while workers
 * run. Postgres is the truth, so the reconciler must re-enqueue every pending / stranded recipient
 * (same job ids) and the campaign must still finish with each recipient sent once.
 */
import { waitForProgress } from '../campaign-run.js';
import { runCampaignScenario } from './campaign-scenario.js';
import type { Scenario } from './scenario.js';

export const redisFlush: Scenario = {
  name: 'redis-flush',
  fault: 'FLUSHALL at 30% of recipients final',
  run: (ctx) =>
    runCampaignScenario(ctx, 'redis-flush', async ({ stack, run, note }) => {
      await waitForProgress(stack, run, 0.3);
      await stack.infra.redis.flushAll();
      note(`flushed at +${((Date.now() - run.startedAt) / 1000).toFixed(1)} s`);
    }),
};
