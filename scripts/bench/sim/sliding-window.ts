/**
 * The busiest window of `windowMs`, from counts per millisecond in time order — the most events in
 * it and the time its last event arrived. A window [t, t + windowMs) is slid over every event time
 * with two pointers — O(n). This is what a provider that enforces "N per second" on arrival times
 * would count against us.
 */
export function busiestWindow(histogram: readonly [number, number][], windowMs = 1000): { count: number; endsAt: number } {
  let best = 0;
  let endsAt = 0;
  let inWindow = 0;
  let tail = 0;
  for (let head = 0; head < histogram.length; head++) {
    const [at, count] = histogram[head]!;
    inWindow += count;
    while (histogram[tail]![0] <= at - windowMs) inWindow -= histogram[tail++]![1];
    if (inWindow > best) {
      best = inWindow;
      endsAt = at;
    }
  }
  return { count: best, endsAt };
}

/** Events per bucket of `bucketMs` from `from` (bucket i holds from + i·bucketMs ≤ time < from + (i+1)·bucketMs), up to `to`. */
export function countsPerBucket(histogram: readonly [number, number][], from: number, to: number, bucketMs = 1000): number[] {
  const buckets = new Array<number>(Math.ceil((to - from) / bucketMs)).fill(0);
  for (const [at, count] of histogram) if (at >= from && at < to) buckets[Math.floor((at - from) / bucketMs)]! += count;
  return buckets;
}

/** Events with from ≤ time < to. */
export function countBetween(histogram: readonly [number, number][], from: number, to: number): number {
  let n = 0;
  for (const [at, count] of histogram) if (at >= from && at < to) n += count;
  return n;
}
