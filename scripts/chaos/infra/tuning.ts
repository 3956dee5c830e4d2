/**
 * The worker timings the suite runs with (read by src/config/config.ts). Production defaults (60 s
 * lease, 30 s BullMQ lock and stalled check, 30 s reconcile) would make every crash scenario wait
 * a minute per recovery step; these keep the relations that matter — the lease above the provider
 * client's ~30 s of per-phase timeouts, the lock well below the lease — and shorten the rest.
 * The reconciler's stranded-recipient sweep looks a waiting row's job up once the row has been idle
 * for a lease plus one interval (src/dispatch/reconciler.ts strandedAfterMs): it reads the
 * production lease constant (60 s), not SEND_LEASE_SECONDS, so here 60 + 5 = 65 s. Not shortened
 * further: the Redis and worker-kill scenarios measure it as it runs in production, less the
 * interval.
 */
export const CHAOS_WORKER_ENV: Readonly<Record<string, string>> = Object.freeze({
  WORKER_CONCURRENCY: '100',
  SEND_LEASE_SECONDS: '35',
  SEND_LOCK_DURATION_MS: '10000',
  SEND_STALLED_INTERVAL_MS: '5000',
  BREAKER_COOLDOWN_MS: '5000',
  RECONCILE_INTERVAL_MS: '5000',
});

/** Workers per scenario (the issue asks for three). */
export const WORKER_COUNT = 3;

/** The channel's allowance: high, so the provider (and the box) set the pace, not our limiter. */
export const CHANNEL_RATE_PER_SECOND = 10_000;
