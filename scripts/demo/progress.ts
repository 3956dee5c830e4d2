/**
 * Polls `GET /v1/campaigns/:id` for every demo campaign and draws one progress bar each, until
 * every campaign reaches a final status. Gives up (with the reason) when the deadline passes, when
 * nothing has settled for `stallMs`, or when the API or worker process dies.
 */
import cliProgress from 'cli-progress';
import type { ApiClient } from './api-client.js';
import { FINAL_CAMPAIGN_STATUSES, sentCount, settledCount, type CampaignView } from './campaign-view.js';
import type { DemoCampaign } from './campaigns.js';
import { createRateMeter } from './rate-meter.js';

export interface FollowOptions {
  intervalMs: number;
  timeoutMs: number;
  stallMs: number;
  /** A reason to stop now (e.g. "worker exited (1)"), or undefined while all is well. */
  problem(): string | undefined;
}

const BAR_FORMAT = ' {label} |{bar}| {percentage}% {value}/{total} | sent {sent} | failed {failed} | {rate} msg/s | ETA {etaText}';

function formatEta(remaining: number, rate: number): string {
  if (remaining === 0) return 'done';
  if (rate <= 0) return '--';
  const seconds = Math.ceil(remaining / rate);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

export class FollowError extends Error {
  override name = 'FollowError';
}

export async function followCampaigns(api: ApiClient, campaigns: DemoCampaign[], options: FollowOptions): Promise<Map<string, CampaignView>> {
  const labelWidth = Math.max(...campaigns.map((c) => c.channel.label.length));
  const multibar = new cliProgress.MultiBar(
    {
      format: BAR_FORMAT,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      // Without a terminal (CI, a pipe) print a plain status line every few seconds instead.
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    cliProgress.Presets.shades_classic,
  );
  const tracked = campaigns.map((c) => ({
    campaign: c,
    bar: multibar.create(c.numbers.length, 0, { label: c.channel.label.padEnd(labelWidth), sent: 0, failed: 0, rate: '0', etaText: '--' }),
    meter: createRateMeter(),
  }));

  const views = new Map<string, CampaignView>();
  const startedAt = Date.now();
  let lastSettled = -1;
  let lastChangeAt = startedAt;
  try {
    for (;;) {
      const problem = options.problem();
      if (problem) throw new FollowError(problem);
      const now = Date.now();
      const polled = await Promise.all(tracked.map((t) => api.get<CampaignView>(`/v1/campaigns/${t.campaign.id}`)));
      let settledTotal = 0;
      polled.forEach((view, i) => {
        const t = tracked[i]!;
        views.set(view.id, view);
        const settled = settledCount(view.counts);
        settledTotal += settled;
        t.meter.sample(now, settled);
        const rate = t.meter.perSecond();
        t.bar.update(settled, {
          sent: sentCount(view.counts),
          failed: view.counts.failed,
          rate: rate.toFixed(0),
          etaText: formatEta(t.campaign.numbers.length - settled, rate),
        });
      });
      if (polled.every((v) => FINAL_CAMPAIGN_STATUSES.has(v.status))) return views;

      if (settledTotal !== lastSettled) {
        lastSettled = settledTotal;
        lastChangeAt = now;
      }
      const states = polled.map((v, i) => `${tracked[i]!.campaign.channel.label}: ${v.status}, ${settledCount(v.counts)}/${v.recipient_count} settled`).join('; ');
      if (now - lastChangeAt > options.stallMs) {
        throw new FollowError(`no recipient settled in the last ${options.stallMs / 1000} s (${states})`);
      }
      if (now - startedAt > options.timeoutMs) {
        throw new FollowError(`the campaigns did not complete within ${options.timeoutMs / 1000} s (${states})`);
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
  } finally {
    multibar.stop();
  }
}
