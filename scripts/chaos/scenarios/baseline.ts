/** The fault-free run: the reference time, and proof the audit itself finds nothing on a clean run. */
import { runCampaignScenario } from './campaign-scenario.js';
import type { Scenario } from './scenario.js';

export const baseline: Scenario = {
  name: 'baseline',
  fault: 'none',
  run: (ctx) => runCampaignScenario(ctx, 'baseline', async () => undefined, { requireAllSent: true }),
};
