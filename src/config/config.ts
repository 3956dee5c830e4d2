/**
 * The process configuration, parsed once from the environment into a typed, frozen object.
 * Nothing else in the code base reads `process.env`.
 */
import { loadSecurityConfig, type SecurityConfig } from '../security/security-config.js';

/** Security settings (credentials key, API rate limit, URL fetch allow-list, webhook replay window) are in SecurityConfig. */
export interface Config extends SecurityConfig {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Prefix of every BullMQ key, so several deployments (or test files) can share one Redis. */
  readonly queuePrefix: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** How many sends one worker process runs at once. */
  readonly workerConcurrency: number;
  /**
   * Postgres connections one worker process may open for its sends. A send holds a connection only
   * for the length of one statement, so a few dozen serve hundreds of concurrent sends; keep
   * (worker processes × this) well under the server's max_connections (100 by default).
   */
  readonly workerDbPoolSize: number;
  /** Most recipients a campaign may list inline in its JSON body. */
  readonly maxInlineRecipients: number;
  /** Sent as User-Agent to providers (Yeastar requires one). */
  readonly userAgent: string;
  /**
   * When set, `GET /metrics` on the API wants `Authorization: Bearer <METRICS_TOKEN>`; unset, it
   * answers anyone (Prometheus usually scrapes over a private network without credentials).
   */
  readonly metricsToken: string | undefined;
  /** Port of the worker's own /healthz, /readyz and /metrics server. */
  readonly workerHealthPort: number;

  // Delivery tuning of the worker. Production keeps the defaults; integration tests shorten the
  // times so crash and outage scenarios run in seconds instead of minutes.
  /**
   * SEND_LEASE_SECONDS (default 60): how long a claimed recipient stays reserved for its claimant.
   * Keep it above the provider HTTP timeouts (~30 s all phases): a live lease must mean "the
   * claimant may still be mid-call" (src/dispatch/recipient-claim.ts).
   */
  readonly sendLeaseSeconds: number;
  /** SEND_LOCK_DURATION_MS (default 30,000, BullMQ's): a send job's lock; a dead worker's jobs re-run after it. */
  readonly sendLockDurationMs: number;
  /** SEND_STALLED_INTERVAL_MS (default 30,000, BullMQ's): how often the stalled check looks for expired locks. */
  readonly sendStalledIntervalMs: number;
  /** SHUTDOWN_DEADLINE_MS (default 10,000): how long SIGTERM waits for in-flight sends before force-closing. */
  readonly shutdownDeadlineMs: number;
  /** RECONCILE_INTERVAL_MS (default 30,000): period of the reconciler's pass (src/dispatch/reconciler.ts). */
  readonly reconcileIntervalMs: number;
  /** BREAKER_COOLDOWN_MS (default 10,000): how long an open circuit holds a channel's sends. */
  readonly breakerCooldownMs: number;
  /** BREAKER_MIN_REQUESTS (default 20, at most the sample of 20): least recent outcomes before a circuit may open. */
  readonly breakerMinRequests: number;
  /** BREAKER_WINDOW_MS (default 60,000): only outcomes this recent count towards opening a circuit. */
  readonly breakerWindowMs: number;
  /**
   * RATE_LIMIT_MARGIN_MS (default 30): added to every rate-limit window, to absorb the spread between
   * when a send is admitted and when it reaches the provider. A channel then achieves
   * `1000 / (1000 + margin)` of its limit (97 % at 30 ms). See src/queue/rate-limiter.ts.
   */
  readonly rateLimitMarginMs: number;
  /** RATE_LIMIT_HORIZON_MS (default 10,000): how far ahead the limiter hands out slots to waiting sends. */
  readonly rateLimitHorizonMs: number;
  /**
   * FAN_OUT_AHEAD (default 20,000): most send jobs of one campaign queued in Redis and not yet
   * settled; the fan-out tops the queue up to it and waits (src/dispatch/fan-out.ts). A campaign on
   * a slower channel keeps less: 2 s of its channel's rate limit (at least one chunk). Each queued job
   * is ~0.7 KB of Redis memory.
   */
  readonly fanOutAhead: number;
}

/** Delivery defaults (see the Config fields). */
export const DELIVERY_DEFAULTS = Object.freeze({
  sendLeaseSeconds: 60,
  sendLockDurationMs: 30_000,
  sendStalledIntervalMs: 30_000,
  shutdownDeadlineMs: 10_000,
  reconcileIntervalMs: 30_000,
  breakerCooldownMs: 10_000,
  breakerMinRequests: 20,
  breakerWindowMs: 60_000,
  rateLimitMarginMs: 30,
  rateLimitHorizonMs: 10_000,
  fanOutAhead: 20_000,
});

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/campaign_dispatch';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Object.freeze({
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX || 'cd',
    port: intFrom(env, 'PORT', 3000, 0),
    host: env.HOST || '0.0.0.0',
    logLevel: env.LOG_LEVEL || 'info',
    workerConcurrency: intFrom(env, 'WORKER_CONCURRENCY', 200),
    workerDbPoolSize: intFrom(env, 'WORKER_DB_POOL_SIZE', 16),
    maxInlineRecipients: intFrom(env, 'MAX_INLINE_RECIPIENTS', 50_000),
    userAgent: env.USER_AGENT || 'campaign-dispatch/0.1',
    metricsToken: env.METRICS_TOKEN || undefined,
    workerHealthPort: intFrom(env, 'WORKER_HEALTH_PORT', 9464, 0),
    ...loadDelivery(env),
    ...loadSecurityConfig(env),
  });
}

function loadDelivery(env: NodeJS.ProcessEnv): Pick<Config, keyof typeof DELIVERY_DEFAULTS> {
  const d = DELIVERY_DEFAULTS;
  const delivery = {
    sendLeaseSeconds: intFrom(env, 'SEND_LEASE_SECONDS', d.sendLeaseSeconds),
    sendLockDurationMs: intFrom(env, 'SEND_LOCK_DURATION_MS', d.sendLockDurationMs, 100),
    sendStalledIntervalMs: intFrom(env, 'SEND_STALLED_INTERVAL_MS', d.sendStalledIntervalMs, 100),
    shutdownDeadlineMs: intFrom(env, 'SHUTDOWN_DEADLINE_MS', d.shutdownDeadlineMs, 0),
    reconcileIntervalMs: intFrom(env, 'RECONCILE_INTERVAL_MS', d.reconcileIntervalMs, 1_000),
    breakerCooldownMs: intFrom(env, 'BREAKER_COOLDOWN_MS', d.breakerCooldownMs),
    breakerMinRequests: intFrom(env, 'BREAKER_MIN_REQUESTS', d.breakerMinRequests),
    breakerWindowMs: intFrom(env, 'BREAKER_WINDOW_MS', d.breakerWindowMs, 1_000),
    rateLimitMarginMs: intFrom(env, 'RATE_LIMIT_MARGIN_MS', d.rateLimitMarginMs, 0),
    fanOutAhead: intFrom(env, 'FAN_OUT_AHEAD', d.fanOutAhead, 1_000),
    rateLimitHorizonMs: intFrom(env, 'RATE_LIMIT_HORIZON_MS', d.rateLimitHorizonMs, 100),
  };
  // The breaker samples the last 20 outcomes; asking for more could never open it.
  if (delivery.breakerMinRequests > 20) throw new Error(`BREAKER_MIN_REQUESTS must be ≤ 20 (the sample size), got ${delivery.breakerMinRequests}`);
  return delivery;
}
