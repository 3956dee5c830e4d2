/**
 * A hash of everything in a channel that shapes its provider client, so a cached client is rebuilt
 * when the channel's settings or credentials change (and only then).
 */
import { createHash } from 'node:crypto';
import type { ChannelSpec } from './types.js';

export function channelFingerprint(channel: ChannelSpec): string {
  const { provider, kind, senderId, settings, credentials } = channel;
  return createHash('sha256')
    .update(stableJson({ provider, kind, senderId, settings, credentials }))
    .digest('hex');
}

/** JSON with object keys sorted, so equal content gives equal text whatever the key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
