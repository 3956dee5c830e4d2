/**
 * Replay protection for signed webhooks. A signature proves who wrote a body, not when it was
 * sent: someone who captured one signed delivery (a proxy log, a misrouted request) could post it
 * again later. Most replays are harmless here — receipts only move forward, windows only grow — but
 * an old opt-in ("START") replayed after the customer's "STOP" would lift their suppression.
 *
 * Two guards, decided per provider:
 * - Connectly bodies carry a `timestamp` (notes/providers.md), covered by the signature. An event
 *   whose timestamp is older than the window, or further than the window in the future (clock
 *   skew), is refused with WEBHOOK_STALE. A body without a readable timestamp is let through: the
 *   field's presence and format are UNVERIFIED, and refusing would drop real events.
 *   The price: Connectly re-sends an event it could not deliver with its original timestamp, so an
 *   outage of ours longer than the window loses those retries (raise WEBHOOK_MAX_AGE_SECONDS if
 *   that matters more than replays).
 * - Yeastar sends no delivery time: `sn` is the PBX's serial number (the same on every event, not
 *   an event id) and msg.send_time / receive_time are the message's times, which a sending result
 *   may legitimately trail by hours. So Yeastar gets no age check.
 * - Both: a body already processed for the same channel within the window is acknowledged (200)
 *   without being acted on again. This memory is per process and bounded — it stops quick replays
 *   against one API process, not a replay to another process (see SECURITY.md).
 *
 * Pure apart from the bounded in-memory map; the time is an argument.
 */
import { createHash } from 'node:crypto';
import type { ProviderName } from '../providers/types.js';
import { isRecord } from '../providers/answer-utils.js';
import { parseEventTime } from './event-time.js';

export type WindowVerdict = { ok: true } | { ok: false; reason: 'stale' | 'future'; at: Date };

/** The delivery time a provider's body states, if it states one we can read. */
export function deliveryTimeOf(provider: ProviderName, body: unknown): Date | undefined {
  if (provider !== 'connectly' || !isRecord(body)) return undefined;
  return parseEventTime(body.timestamp);
}

/** Whether an event stamped `at` is inside the replay window around `now`. */
export function checkReplayWindow(at: Date | undefined, now: Date, maxAgeMs: number): WindowVerdict {
  if (at === undefined) return { ok: true };
  const age = now.getTime() - at.getTime();
  if (age > maxAgeMs) return { ok: false, reason: 'stale', at };
  if (-age > maxAgeMs) return { ok: false, reason: 'future', at };
  return { ok: true };
}

export interface RecentDeliveries {
  /** True when this channel processed exactly these bytes within the TTL. */
  seen(channelId: string, raw: Buffer, now: Date): boolean;
  /** Records that this channel processed these bytes. */
  remember(channelId: string, raw: Buffer, now: Date): void;
}

/** A bounded TTL set of (channel, SHA-256 of the body); the oldest entries go first when full. */
export function createRecentDeliveries(options: { ttlMs: number; maxEntries?: number }): RecentDeliveries {
  const maxEntries = options.maxEntries ?? 50_000;
  // Insertion order is expiry order (one TTL for all), so pruning only ever looks at the front.
  const entries = new Map<string, number>();
  const keyOf = (channelId: string, raw: Buffer): string => `${channelId}:${createHash('sha256').update(raw).digest('base64')}`;

  function prune(now: number): void {
    for (const [key, expiresAt] of entries) {
      if (expiresAt > now && entries.size < maxEntries) break;
      entries.delete(key);
    }
  }

  return {
    seen(channelId, raw, now) {
      const expiresAt = entries.get(keyOf(channelId, raw));
      return expiresAt !== undefined && expiresAt > now.getTime();
    },
    remember(channelId, raw, now) {
      const at = now.getTime();
      prune(at);
      const key = keyOf(channelId, raw);
      entries.delete(key);
      entries.set(key, at + options.ttlMs);
    },
  };
}
