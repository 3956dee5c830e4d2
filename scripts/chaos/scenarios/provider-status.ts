/**
 * The provider answering every send with an error for a while: 503 (down), or 429 with Retry-After
 * (throttling). Retries must ride it out — circuit breaker and cool-downs hold the sends back — and
 * every recipient must end sent (or, if the retry budget ran out, failed — never lost).
 */
import { waitForProgress } from '../campaign-run.js';
import { runCampaignScenario, sleep } from './campaign-scenario.js';
import type { Scenario, ScenarioContext } from './scenario.js';

function statusScenario(name: string, status: number, retryAfterSeconds?: number): Scenario {
  return {
    name,
    fault: `every send answered ${status}${retryAfterSeconds ? ` + Retry-After ${retryAfterSeconds} s` : ''} for the fault duration, from 20%`,
    run: (ctx: ScenarioContext) =>
      runCampaignScenario(ctx, name, async ({ stack, run, note }) => {
        await waitForProgress(stack, run, 0.2);
        await stack.sim.fault({ kind: 'status', status, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });
        const at = Date.now();
        await sleep(ctx.faultMs);
        await stack.sim.fault({ kind: 'clear' });
        note(`${status} from +${((at - run.startedAt) / 1000).toFixed(1)} s for ${ctx.faultMs / 1000} s`);
      }),
  };
}

export const provider503 = statusScenario('provider-503', 503);
export const provider429 = statusScenario('provider-429', 429, 5);
