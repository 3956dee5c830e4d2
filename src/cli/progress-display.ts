/**
 * How `--follow` shows a campaign moving: a live bar on a terminal, plain periodic lines otherwise
 * (a log file or a CI job gets a line every few seconds instead of a screenful of carriage
 * returns). Both show the same numbers: sent, failed, rate, ETA.
 */
import cliProgress from 'cli-progress';
import { formatEta, formatRate, sentCount } from '../admin/display.js';
import { progressLine, settledCount, type CampaignAnswer } from './format.js';

/** Without a terminal, one line at most this often (and on every status change). */
export const PLAIN_LINE_EVERY_MS = 5_000;

export interface ProgressDisplay {
  update(campaign: CampaignAnswer): void;
  /** Leaves the terminal clean; call before printing the final line. */
  stop(): void;
}

export interface ProgressDisplayOptions {
  /** The terminal to draw the bar on, when there is one. */
  tty?: NodeJS.WritableStream;
  out: (line: string) => void;
  now?: () => number;
}

function barDisplay(stream: NodeJS.WritableStream): ProgressDisplay {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{status} |{bar}| {percentage}% | sent {sent}/{total} | failed {failed} | {rate} | ETA {eta}',
      hideCursor: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(c) {
      const payload = {
        status: c.status,
        sent: sentCount(c.counts),
        failed: c.counts.failed ?? 0,
        rate: formatRate(c.rate_per_second),
        eta: formatEta(c.eta_seconds),
      };
      // The bar measures settled recipients (sent or ended otherwise), so it reaches 100% at the end.
      if (!started) {
        bar.start(Math.max(1, c.recipient_count), settledCount(c), payload);
        started = true;
      } else {
        bar.setTotal(Math.max(1, c.recipient_count));
        bar.update(settledCount(c), payload);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function plainDisplay(out: (line: string) => void, now: () => number): ProgressDisplay {
  let lastAt = -Infinity;
  let lastStatus = '';
  return {
    update(c) {
      if (c.status === lastStatus && now() - lastAt < PLAIN_LINE_EVERY_MS) return;
      lastAt = now();
      lastStatus = c.status;
      out(progressLine(c));
    },
    stop() {},
  };
}

export function createProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  return options.tty ? barDisplay(options.tty) : plainDisplay(options.out, options.now ?? Date.now);
}
