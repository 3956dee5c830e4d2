/**
 * Following a campaign until it ends: read it every second, show its progress, and answer with
 * the exit code its end means — 0 when it completed, 1 when it ended failed, cancelled or expired.
 * A paused campaign is followed on (it may be resumed); stop following with Ctrl-C.
 *
 * A connection lost while following (an API restart, a deploy) is ridden out for
 * UNREACHABLE_GRACE_MS before the follow gives up with exit 3: the campaign runs in the workers,
 * not in the API, and is worth waiting for.
 */
import { TERMINAL_STATUSES } from '../admin/display.js';
import type { ApiClient } from './api-client.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_UNREACHABLE } from './exit-codes.js';
import { finalLine, type CampaignAnswer } from './format.js';
import { createProgressDisplay } from './progress-display.js';

export const POLL_INTERVAL_MS = 1_000;
export const UNREACHABLE_GRACE_MS = 30_000;

export interface FollowOptions {
  out: (line: string) => void;
  err: (line: string) => void;
  tty?: NodeJS.WritableStream;
  intervalMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The exit code of a campaign that ended in `status`. */
export function exitCodeFor(status: string): number {
  return status === 'completed' ? EXIT_OK : EXIT_FAILURE;
}

/** Follows campaign `id` to its end; prints the final tally as the last line. */
export async function followCampaign(client: ApiClient, id: string, options: FollowOptions): Promise<number> {
  const display = createProgressDisplay({ tty: options.tty, out: options.out });
  const path = `/v1/campaigns/${encodeURIComponent(id)}`;
  let unreachableSince: number | undefined;
  try {
    for (;;) {
      let campaign: CampaignAnswer;
      try {
        campaign = await client.get<CampaignAnswer>(path);
        unreachableSince = undefined;
      } catch (err) {
        if (!(err instanceof CliError) || err.exitCode !== EXIT_UNREACHABLE) throw err;
        if (unreachableSince === undefined) {
          unreachableSince = Date.now();
          options.err(`${err.message}; retrying for ${UNREACHABLE_GRACE_MS / 1000} s`);
        }
        if (Date.now() - unreachableSince > UNREACHABLE_GRACE_MS) throw err;
        await sleep(options.intervalMs ?? POLL_INTERVAL_MS);
        continue;
      }
      display.update(campaign);
      if (TERMINAL_STATUSES.includes(campaign.status)) {
        display.stop();
        options.out(finalLine(campaign));
        return exitCodeFor(campaign.status);
      }
      await sleep(options.intervalMs ?? POLL_INTERVAL_MS);
    }
  } finally {
    display.stop();
  }
}
