/**
 * The most events in any window of `windowMs`, from counts per millisecond in time order: a window
 * [t, t + windowMs) is slid over every event time with two pointers — O(n). This is what a
 * provider that enforces "N per second" on arrival times would count against us.
 */
export function maxInSlidingWindow(histogram: readonly [number, number][], windowMs = 1000): number {
  let best = 0;
  let inWindow = 0;
  let tail = 0;
  for (let head = 0; head < histogram.length; head++) {
    const [at, count] = histogram[head]!;
    inWindow += count;
    while (histogram[tail]![0] <= at - windowMs) inWindow -= histogram[tail++]![1];
    if (inWindow > best) best = inWindow;
  }
  return best;
}

/** Events with from ≤ time < to. */
export function countBetween(histogram: readonly [number, number][], from: number, to: number): number {
  let n = 0;
  for (const [at, count] of histogram) if (at >= from && at < to) n += count;
  return n;
}
