/**
 * The per-channel circuit breaker's state in Redis, shared by every worker process; the decisions
 * are the pure functions of src/policy/circuit-breaker.ts.
 *
 * Keys (under the prefix, per channel): `<id>:sample` a list of the last N outcomes ("<ms>:1|0",
 * newest first), `<id>:open` the time the circuit opened until (absent = closed), `<id>:probe` the
 * probe lock (SET NX with a timeout, so a probe whose process died is replaced).
 *
 * What a send costs Redis, measured because it was most of the breaker's share of dispatch CPU
 * (docs/benchmarks.md): before, every send did a GET (gate) and a MULTI/LPUSH/LTRIM/PEXPIRE/EXEC
 * (record) — 6 of the ~10 commands our worker sent per message. Now:
 * - a success is buffered in the process and written with the others of the same `flushMs` as one
 *   pipelined LPUSH (many values) + LTRIM + PEXPIRE; the sample is a statistic over the last N
 *   outcomes, so a few milliseconds of delay change nothing it decides;
 * - a failure writes the buffered successes and itself at once and reads the sample back to decide;
 * - `gate` reuses a "closed" answer for `gateCacheMs`, and concurrent gates of one channel share
 *   one GET. Another process's opening is therefore seen up to `gateCacheMs` late — a few more
 *   sends to a failing provider, each a retryable failure retried under its own key; this
 *   process's own opening is seen at once.
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
  /** Writes the buffered outcomes now (shutdown). */
  flush(): Promise<void>;
}

/** An hour: a breaker state outliving any cool-down, so an abandoned channel's keys go away. */
const STATE_TTL_MS = 3_600_000;
/** Default of `flushMs`: successes of this long are written together. */
export const DEFAULT_BREAKER_FLUSH_MS = 20;
/** Default of `gateCacheMs`: a "closed" answer is reused this long. */
export const DEFAULT_BREAKER_GATE_CACHE_MS = 100;

export function createCircuitBreaker(deps: {
  redis: Redis;
  keyPrefix: string;
  log: Logger;
  config?: Partial<BreakerConfig>;
  now?: () => number;
  /** Successes are buffered this long and written together (default DEFAULT_BREAKER_FLUSH_MS). */
  flushMs?: number;
  /** A "closed" answer of Redis is reused this long (default DEFAULT_BREAKER_GATE_CACHE_MS; 0 = never). */
  gateCacheMs?: number;
}): CircuitBreaker {
  const config: BreakerConfig = { ...DEFAULT_BREAKER_CONFIG, ...deps.config };
  const now = deps.now ?? Date.now;
  const flushMs = deps.flushMs ?? DEFAULT_BREAKER_FLUSH_MS;
  const gateCacheMs = deps.gateCacheMs ?? DEFAULT_BREAKER_GATE_CACHE_MS;
  const log = deps.log.child({ module: 'circuit-breaker' });
  const key = (channelId: string, part: string): string => `${deps.keyPrefix}${channelId}:${part}`;
  /** Per channel: when Redis last said "closed", and the GET in flight. */
  const closedSeenAt = new Map<string, number>();
  const openReads = new Map<string, Promise<string | null>>();
  /** Per channel: sampled successes not yet written, newest last. */
  const buffered = new Map<string, string[]>();
  let flushTimer: NodeJS.Timeout | undefined;

  async function open(channelId: string, reason: string): Promise<void> {
    const until = now() + config.cooldownMs;
    closedSeenAt.delete(channelId);
    await deps.redis.set(key(channelId, 'open'), String(until), 'PX', STATE_TTL_MS);
    log.warn({ channelId, reason, cooldownMs: config.cooldownMs }, 'circuit opened');
  }

  function readOpen(channelId: string): Promise<string | null> {
    let read = openReads.get(channelId);
    if (!read) {
      read = deps.redis.get(key(channelId, 'open')).finally(() => openReads.delete(channelId));
      openReads.set(channelId, read);
    }
    return read;
  }

  /** Queues `entries` (newest last) onto `pipeline` for the channel's sample. */
  function pushSample(pipeline: ReturnType<Redis['pipeline']>, channelId: string, entries: string[]): void {
    const sampleKey = key(channelId, 'sample');
    pipeline.lpush(sampleKey, ...entries).ltrim(sampleKey, 0, config.sampleSize - 1).pexpire(sampleKey, STATE_TTL_MS);
  }

  async function flush(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (buffered.size === 0) return;
    const pipeline = deps.redis.pipeline();
    for (const [channelId, entries] of buffered) pushSample(pipeline, channelId, entries);
    buffered.clear();
    await pipeline.exec();
  }

  function scheduleFlush(): void {
    if (flushTimer) return;
    flushTimer = setTimeout(() => {
      flush().catch((err: unknown) => log.warn({ err }, 'could not record send outcomes for the circuit breaker'));
    }, flushMs);
    flushTimer.unref();
  }

  return {
    config,
    flush,
    async gate(channelId) {
      const seen = closedSeenAt.get(channelId);
      if (seen !== undefined && now() - seen < gateCacheMs) return { kind: 'pass' };
      const raw = await readOpen(channelId);
      if (raw === null) closedSeenAt.set(channelId, now());
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
          buffered.delete(channelId);
          await deps.redis.del(key(channelId, 'open'), key(channelId, 'sample'), key(channelId, 'probe'));
          log.info({ channelId }, 'probe succeeded; circuit closed');
        } else {
          await open(channelId, 'probe failed');
          await deps.redis.del(key(channelId, 'probe'));
        }
        return;
      }
      const entry = `${now()}:${outcome === 'ok' ? 1 : 0}`;
      const entries = buffered.get(channelId) ?? [];
      entries.push(entry);
      if (outcome === 'ok') {
        buffered.set(channelId, entries);
        // A whole sample's worth is written at once rather than held for the timer.
        if (entries.length >= config.sampleSize) await flush();
        else scheduleFlush();
        return;
      }
      buffered.delete(channelId);
      const sampleKey = key(channelId, 'sample');
      const pipeline = deps.redis.pipeline();
      pushSample(pipeline, channelId, entries);
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
