/**
 * Redis figures: memory in use (INFO memory `used_memory`, sampled) and commands executed (INFO
 * commandstats). Both are server-wide: on a shared Redis other clients' keys and commands are in
 * them, so the bench reports memory as growth over the level just before the run, and command
 * counts only as an indication.
 */
import type { Redis } from 'ioredis';

export async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
}

/** Samples used_memory every `everyMs` until stopped; returns the peak seen. */
export function sampleMemory(redis: Redis, everyMs = 100): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await usedMemory(redis));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/** calls per command (lower-case name) since the server started. */
export async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) calls.set(m[1]!, Number(m[2]));
  return calls;
}

export function callsBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cmd, n] of after) {
    const d = n - (before.get(cmd) ?? 0);
    if (d > 0) out[cmd] = d;
  }
  return out;
}
