/**
 * The provider hanging on a fraction of sends — half never reach it, half are accepted and their
 * answer never comes back. The HTTP client's response timeout must end each attempt as "unknown"
 * (retrying, not failed), and the retry's same idempotency key must resolve it: the provider
 * answers the accepted ones from memory (duplicate-key requests) and no phone gets two messages.
 */
import { waitForProgress } from '../campaign-run.js';
import { runCampaignScenario, sleep } from './campaign-scenario.js';
import type { Scenario } from './scenario.js';

const FRACTION = 0.05;

export const providerHang: Scenario = {
  name: 'provider-hang',
  fault: `${FRACTION * 100}% of sends hang (half before, half after the provider accepted) for the fault duration, from 10%`,
  run: (ctx) =>
    runCampaignScenario(ctx, 'provider-hang', async ({ stack, run, note }) => {
      await waitForProgress(stack, run, 0.1);
      await stack.sim.fault({ kind: 'hang', fraction: FRACTION });
      await sleep(ctx.faultMs);
      await stack.sim.fault({ kind: 'clear' });
      note(`hang window ${ctx.faultMs / 1000} s`);
    }),
};
