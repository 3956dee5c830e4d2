/**
 * Reads counters off the workers' Prometheus endpoints (their health servers' /metrics): a bench
 * run says what the send path did (stale admissions, limiter waits), not only what the simulator saw.
 */
import { METRIC_PREFIX } from '../../src/observability/metrics.js';

/** The limiter's counters the dispatch and rate-limit benchmarks record per run. */
export const LIMITER_COUNTERS = [`${METRIC_PREFIX}rate_limit_stale_admissions_total`, `${METRIC_PREFIX}rate_limit_waits_total`];

/** Sums of the named metrics over every worker, keyed `name{labels}` as the exposition writes them. */
export async function scrapeCounters(urls: readonly string[], names: readonly string[]): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const url of urls) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      const series = line.slice(0, space);
      if (!names.some((name) => series === name || series.startsWith(`${name}{`))) continue;
      sums[series] = (sums[series] ?? 0) + Number(line.slice(space + 1));
    }
  }
  return sums;
}
