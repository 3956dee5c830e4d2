/**
 * The process configuration, parsed once from the environment into a typed, frozen object.
 * Nothing else in the code base reads `process.env`.
 */
export interface Config {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Prefix of every BullMQ key, so several deployments (or test files) can share one Redis. */
  readonly queuePrefix: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** How many sends one worker process runs at once. */
  readonly workerConcurrency: number;
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
}

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
    maxInlineRecipients: intFrom(env, 'MAX_INLINE_RECIPIENTS', 50_000),
    userAgent: env.USER_AGENT || 'campaign-dispatch/0.1',
    metricsToken: env.METRICS_TOKEN || undefined,
    workerHealthPort: intFrom(env, 'WORKER_HEALTH_PORT', 9464, 0),
  });
}
