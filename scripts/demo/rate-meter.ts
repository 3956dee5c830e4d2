/**
 * Messages per second over the last few seconds: a moving window rather than the average since the
 * start, so the bar shows the current pace (the start includes the fan-out, before sends begin).
 */
export interface RateMeter {
  sample(at: number, value: number): void;
  perSecond(): number;
}

export function createRateMeter(windowMs = 3_000): RateMeter {
  const samples: { at: number; value: number }[] = [];
  return {
    sample(at, value) {
      samples.push({ at, value });
      // Keep one sample older than the window so the window is always fully covered.
      while (samples.length > 2 && (samples[1] as { at: number }).at <= at - windowMs) samples.shift();
    },
    perSecond() {
      const first = samples[0];
      const last = samples[samples.length - 1];
      if (!first || !last || last.at === first.at) return 0;
      return ((last.value - first.value) * 1000) / (last.at - first.at);
    },
  };
}
