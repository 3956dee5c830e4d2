/**
 * Per-API-key request rate limit: a token bucket per key (src/security/token-bucket.ts), sustained
 * `ratePerSecond` with bursts of `burst`. Over it, the request is refused before its body is read
 * with 429 RATE_LIMITED and `Retry-After` (whole seconds until a token is back).
 *
 * Where the buckets live, and why: in this process's memory. The limit protects Postgres and the
 * queue from one runaway or leaked key, and a per-process bucket does that with no Redis round trip
 * on every request. The cost: with N API processes behind a balancer a key may make up to N × the
 * limit; size API_RATE_LIMIT_PER_SECOND per process accordingly (SECURITY.md).
 *
 * Only authenticated requests count (the hook runs after auth, see build-app.ts): public routes —
 * health probes, metrics, provider webhooks — are not limited per key, and an unknown key is
 * refused with 401 before it could use up anyone's bucket.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors/index.js';
import { isFull, takeToken, type BucketLimits, type BucketState } from '../../security/token-bucket.js';

export interface RateLimitOptions {
  /** Requests per second per key, sustained; 0 turns the limit off. */
  ratePerSecond: number;
  /** Requests per key at once. */
  burst: number;
  /** Milliseconds clock (default Date.now). */
  now?: () => number;
}

/** Above this many tracked keys, buckets that have refilled completely are forgotten. */
const SWEEP_ABOVE = 10_000;

/** Register on the root instance after registerAuth and before any route. */
export function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): void {
  if (options.ratePerSecond <= 0) return;
  const limits: BucketLimits = { ratePerSecond: options.ratePerSecond, burst: options.burst };
  const now = options.now ?? Date.now;
  const buckets = new Map<string, BucketState>();

  app.addHook('onRequest', async (request, reply) => {
    const key = request.apiKey;
    if (!key) return;
    const at = now();
    const result = takeToken(buckets.get(key.id), limits, at);
    buckets.set(key.id, result.state);
    if (buckets.size > SWEEP_ABOVE) {
      for (const [id, state] of buckets) if (isFull(state, limits, at)) buckets.delete(id);
    }
    if (result.allowed) return;
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    reply.header('retry-after', String(seconds));
    throw new AppError('RATE_LIMITED', `this API key is limited to ${limits.ratePerSecond} requests per second (bursts of ${limits.burst}); retry in ${seconds} s`, {
      retryable: true,
      details: { retry_after_seconds: seconds, limit_per_second: limits.ratePerSecond, burst: limits.burst },
    });
  });
}
