/**
 * Optional timing knobs of a worker process, read from the environment by workers/main.ts. They
 * exist so integration tests can run crash and outage scenarios in seconds instead of minutes;
 * production leaves them unset. (They belong in src/config/config.ts, which another module owns;
 * parsed here until they move.)
 * - SEND_LEASE_SECONDS: a claim's lease (default 60); must stay above the provider HTTP timeouts.
 * - SEND_LOCK_DURATION_MS / SEND_STALLED_INTERVAL_MS: BullMQ's job lock and stalled-check period.
 * - BREAKER_COOLDOWN_MS: the circuit breaker's open time (default 10 s).
 */
import type { WorkerRuntimeDeps } from './runtime.js';

export type DeliveryTuning = Pick<WorkerRuntimeDeps, 'leaseSeconds' | 'lockDurationMs' | 'stalledIntervalMs' | 'breaker'>;

export function loadDeliveryTuning(env: NodeJS.ProcessEnv): DeliveryTuning {
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
    return value;
  };
  const cooldownMs = int('BREAKER_COOLDOWN_MS');
  return {
    leaseSeconds: int('SEND_LEASE_SECONDS'),
    lockDurationMs: int('SEND_LOCK_DURATION_MS'),
    stalledIntervalMs: int('SEND_STALLED_INTERVAL_MS'),
    ...(cooldownMs === undefined ? {} : { breaker: { cooldownMs } }),
  };
}
