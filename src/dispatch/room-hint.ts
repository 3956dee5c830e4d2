/**
 * When a send may skip the rate limiter's peek.
 *
 * The peek (a Redis script call before the claim) exists so that a send that must wait costs no
 * claim to write and release. On a channel far below its limits it always answers "room", and it
 * was one of the worker's two limiter calls per message. So each worker process remembers, per set
 * of limits, when an admission under them was last *not tight* (taken well below every limit — see
 * rate-limiter-script.ts); for `freshForMs` after that, a fresh send goes straight to its claim and
 * the binding acquire. Nothing is admitted on the hint: the acquire still decides, and a send it
 * refuses gives its claim back and waits as after any lost race (send-recipient.ts). A tight
 * admission or a refusal ends the hint at once, so a channel nearing its limit is peeked again.
 * Sends holding a limiter slot always peek (they keep their place in the line of waiters).
 */
import type { LimitSpec } from '../policy/rate-limits.js';

/** Default of `freshForMs`. */
export const DEFAULT_ROOM_HINT_MS = 200;

export interface RoomHint {
  /** True when an admission under `limits` was not tight within the last `freshForMs`. */
  likelyRoom(limits: readonly LimitSpec[], now: number): boolean;
  /** Notes an admission under `limits`: a loose one starts (or renews) the hint, a tight one ends it. */
  admitted(limits: readonly LimitSpec[], tight: boolean, now: number): void;
  /** The limiter refused a send under `limits`: the hint ends. */
  refused(limits: readonly LimitSpec[]): void;
}

export function createRoomHint(options: { freshForMs?: number } = {}): RoomHint {
  const freshForMs = options.freshForMs ?? DEFAULT_ROOM_HINT_MS;
  const looseAt = new Map<string, number>();
  const keyOf = (limits: readonly LimitSpec[]): string => limits.map((l) => l.key).join('\u0000');
  return {
    likelyRoom(limits, now) {
      if (limits.length === 0) return true;
      const at = looseAt.get(keyOf(limits));
      return at !== undefined && now - at < freshForMs;
    },
    admitted(limits, tight, now) {
      if (limits.length === 0) return;
      const key = keyOf(limits);
      if (tight) {
        looseAt.delete(key);
        return;
      }
      // Bounded: entries of sets of limits no longer used are dropped once stale.
      if (looseAt.size >= 1_000) for (const [k, at] of looseAt) if (now - at >= freshForMs) looseAt.delete(k);
      looseAt.set(key, now);
    },
    refused(limits) {
      looseAt.delete(keyOf(limits));
    },
  };
}
