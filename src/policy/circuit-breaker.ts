/**
 * The circuit breaker's decisions, per channel. Pure: outcomes and the time are arguments; the
 * state lives in Redis (src/dispatch/circuit-breaker.ts) so every worker process sees one breaker.
 *
 * States
 * - closed: sends go out; each one's outcome is sampled (the last `sampleSize`).
 * - open: at least `minRequests` of the sampled outcomes inside `windowMs` are recent, and at least
 *   `failureRatio` of those failed with retryable errors (5xx, timeouts, connection errors) → for
 *   `cooldownMs` no send goes out on the channel; jobs wait (moveToDelayed, no attempt spent)
 *   instead of burning attempts on a provider that is down.
 * - half-open: the cool-down is over; exactly one send (the probe, a fleet-wide lock) goes out.
 *   Success closes the circuit and clears the sample; failure opens it for another cool-down.
 * Only retryable failures count: a permanent error is the message's fault, a 429 has its own
 * cool-down (rate limiter), an auth error is the channel's configuration.
 */

export interface BreakerConfig {
  /** Outcomes kept per channel (the "last N"). */
  sampleSize: number;
  /** Least recent outcomes before the breaker may open. */
  minRequests: number;
  /** Share of failures (0–1) among the recent outcomes that opens it. */
  failureRatio: number;
  /** Only outcomes this recent count. */
  windowMs: number;
  /** How long the circuit stays open before a probe. */
  cooldownMs: number;
  /** How long a probe may take before another process may probe (a probe's process may die). */
  probeTimeoutMs: number;
}

/**
 * Defaults: 20 of the last 20 outcomes within 60 s, half failing. 60 s (not a few seconds) so that a
 * channel of a few messages per second can still gather 20 outcomes; 10 s of cool-down probes a
 * provider six times a minute — negligible load on a provider that is down.
 */
export const DEFAULT_BREAKER_CONFIG: Readonly<BreakerConfig> = Object.freeze({
  sampleSize: 20,
  minRequests: 20,
  failureRatio: 0.5,
  windowMs: 60_000,
  cooldownMs: 10_000,
  probeTimeoutMs: 35_000,
});

export interface SampledOutcome {
  at: number;
  ok: boolean;
}

/** True when the sampled outcomes should open the circuit. */
export function shouldOpen(outcomes: readonly SampledOutcome[], now: number, config: BreakerConfig): boolean {
  const recent = outcomes.slice(0, config.sampleSize).filter((o) => now - o.at <= config.windowMs);
  if (recent.length < config.minRequests) return false;
  const failures = recent.filter((o) => !o.ok).length;
  return failures / recent.length >= config.failureRatio;
}

export type BreakerGate =
  | { kind: 'pass' }
  /** The cool-down is over: this caller may probe if it wins the fleet-wide probe lock. */
  | { kind: 'try-probe' }
  /** Wait this long: the circuit is open. */
  | { kind: 'wait'; ms: number };

/**
 * What a send may do, given the circuit's state (`openUntil` null = closed). `random` spreads the
 * waiters' returns over up to a second, so jobs held by an open circuit do not come back as one wave.
 */
export function breakerGate(openUntil: number | null, now: number, config: BreakerConfig, random: () => number = Math.random): BreakerGate {
  if (openUntil === null) return { kind: 'pass' };
  if (openUntil > now) return { kind: 'wait', ms: openUntil - now + spread(config, random) };
  return { kind: 'try-probe' };
}

/** How long a send waits while another process probes (half the cool-down, spread). */
export function probeBusyWaitMs(config: BreakerConfig, random: () => number = Math.random): number {
  return Math.max(100, Math.floor(config.cooldownMs / 2)) + spread(config, random);
}

function spread(config: BreakerConfig, random: () => number): number {
  return Math.floor(Math.min(Math.max(random(), 0), 1) * Math.min(1_000, config.cooldownMs));
}
