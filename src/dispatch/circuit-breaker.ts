/**
 * The per-channel circuit breaker's state in Redis, shared by every worker process; the decisions
 * are the pure functions of src/policy/circuit-breaker.ts.
 *
 * Keys (under the prefix, per channel): `<id>:sample` a list of the last N outcomes ("<ms>:1|0",
 * newest first), `<id>:open` the time the circuit opened until (absent = closed), `<id>:probe` the
 * probe lock (SET NX with a timeout, so a probe whose process died is replaced).
 * A success costs one pipelined LPUSH + LTRIM; only a failure reads the sample back to decide.
 * Two processes opening the circuit at once write nearly the same time — harmless.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import {
  breakerGate,
  DEFAULT_BREAKER_CONFIG,
  probeBusyWaitMs,
  shouldOpen,
  type BreakerConfig,
  type SampledOutcome,
} from '../policy/circuit-breaker.js';

export type BreakerPass = { kind: 'pass' } | { kind: 'probe' } | { kind: 'wait'; ms: number };

export interface CircuitBreaker {
  readonly config: BreakerConfig;
  /** May a send on this channel go out now? */
  gate(channelId: string): Promise<BreakerPass>;
  /** Records a send's outcome (`fail` = a retryable provider failure). */
  record(channelId: string, outcome: 'ok' | 'fail', probe: boolean): Promise<void>;
  /** Gives the probe lock back unused (the probing job ended without asking the provider). */
  releaseProbe(channelId: string): Promise<void>;
}

/** An hour: a breaker state outliving any cool-down, so an abandoned channel's keys go away. */
const STATE_TTL_MS = 3_600_000;

export function createCircuitBreaker(deps: {
  redis: Redis;
  keyPrefix: string;
  log: Logger;
  config?: Partial<BreakerConfig>;
  now?: () => number;
}): CircuitBreaker {
  const config: BreakerConfig = { ...DEFAULT_BREAKER_CONFIG, ...deps.config };
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ module: 'circuit-breaker' });
  const key = (channelId: string, part: string): string => `${deps.keyPrefix}${channelId}:${part}`;

  async function open(channelId: string, reason: string): Promise<void> {
    const until = now() + config.cooldownMs;
    await deps.redis.set(key(channelId, 'open'), String(until), 'PX', STATE_TTL_MS);
    log.warn({ channelId, reason, cooldownMs: config.cooldownMs }, 'circuit opened');
  }

  return {
    config,
    async gate(channelId) {
      const raw = await deps.redis.get(key(channelId, 'open'));
      const decision = breakerGate(raw === null ? null : Number(raw), now(), config);
      if (decision.kind !== 'try-probe') return decision;
      const taken = await deps.redis.set(key(channelId, 'probe'), '1', 'PX', config.probeTimeoutMs, 'NX');
      return taken === 'OK' ? { kind: 'probe' } : { kind: 'wait', ms: probeBusyWaitMs(config) };
    },
    async releaseProbe(channelId) {
      await deps.redis.del(key(channelId, 'probe'));
    },
    async record(channelId, outcome, probe) {
      if (probe) {
        if (outcome === 'ok') {
          await deps.redis.del(key(channelId, 'open'), key(channelId, 'sample'), key(channelId, 'probe'));
          log.info({ channelId }, 'probe succeeded; circuit closed');
        } else {
          await open(channelId, 'probe failed');
          await deps.redis.del(key(channelId, 'probe'));
        }
        return;
      }
      const sampleKey = key(channelId, 'sample');
      const pipeline = deps.redis
        .multi()
        .lpush(sampleKey, `${now()}:${outcome === 'ok' ? 1 : 0}`)
        .ltrim(sampleKey, 0, config.sampleSize - 1)
        .pexpire(sampleKey, STATE_TTL_MS);
      if (outcome === 'ok') {
        await pipeline.exec();
        return;
      }
      const results = await pipeline.lrange(sampleKey, 0, config.sampleSize - 1).get(key(channelId, 'open')).exec();
      const sample = (results?.[3]?.[1] as string[] | undefined) ?? [];
      const alreadyOpen = results?.[4]?.[1] !== null && results?.[4]?.[1] !== undefined;
      if (!alreadyOpen && shouldOpen(sample.map(parseOutcome), now(), config)) await open(channelId, 'failure ratio');
    },
  };
}

function parseOutcome(entry: string): SampledOutcome {
  const [at, ok] = entry.split(':');
  return { at: Number(at), ok: ok === '1' };
}
