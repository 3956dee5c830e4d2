/**
 * The provider registry: one client per channel, built on first use and cached by channel id.
 * A channel whose settings or credentials changed gets a new client; the old one is closed once its
 * in-flight sends have finished (closing at once would cut their sockets).
 */
import type { Logger } from '../observability/logger.js';
import { channelFingerprint } from './channel-fingerprint.js';
import { createConnectlyClient } from './connectly/client.js';
import type { HttpTimeouts } from './http-client.js';
import type { ChannelSpec, OutboundMessage, ProviderClient, SendResult, SharedStore } from './types.js';
import { createYeastarClient } from './yeastar/client.js';

export interface ProviderRegistryDeps {
  store: SharedStore;
  userAgent: string;
  log: Logger;
  timeouts?: Partial<HttpTimeouts>;
}

export interface ProviderRegistry {
  /**
   * The client of `channel`. Throws a permanent ProviderError (CHANNEL_MISCONFIGURED) when the
   * channel's settings are incomplete.
   */
  clientFor(channel: ChannelSpec): ProviderClient;
  /** Closes every client (current and retired). */
  close(): Promise<void>;
}

interface Entry {
  fingerprint: string;
  client: TrackedClient;
}

interface TrackedClient extends ProviderClient {
  /** Close as soon as no send is in flight. */
  retire(): void;
}

/** Builds the registry a worker process shares across all its send jobs. */
export function createProviderRegistry(deps: ProviderRegistryDeps): ProviderRegistry {
  const log = deps.log.child({ module: 'provider-registry' });
  const entries = new Map<string, Entry>();
  const retiring = new Set<Promise<void>>();

  function build(channel: ChannelSpec): ProviderClient {
    switch (channel.provider) {
      case 'yeastar':
        return createYeastarClient({ channel, store: deps.store, userAgent: deps.userAgent, log: deps.log, timeouts: deps.timeouts });
      case 'connectly':
        return createConnectlyClient({ channel, userAgent: deps.userAgent, log: deps.log, timeouts: deps.timeouts });
    }
  }

  function track(inner: ProviderClient): TrackedClient {
    let inFlight = 0;
    let retired = false;
    let closed: Promise<void> | undefined;
    const closeOnce = (): Promise<void> => (closed ??= inner.close());
    const closeIfIdle = (): void => {
      if (!retired || inFlight > 0 || closed) return;
      const done = closeOnce();
      retiring.add(done);
      void done.finally(() => retiring.delete(done));
    };
    return {
      provider: inner.provider,
      async send(message: OutboundMessage): Promise<SendResult> {
        inFlight++;
        try {
          return await inner.send(message);
        } finally {
          inFlight--;
          closeIfIdle();
        }
      },
      close: closeOnce,
      retire() {
        retired = true;
        closeIfIdle();
      },
    };
  }

  return {
    clientFor(channel) {
      const fingerprint = channelFingerprint(channel);
      const entry = entries.get(channel.id);
      if (entry && entry.fingerprint === fingerprint) return entry.client;
      const client = track(build(channel));
      if (entry) {
        log.info({ channelId: channel.id }, 'channel changed; rebuilding its provider client');
        entry.client.retire();
      }
      entries.set(channel.id, { fingerprint, client });
      return client;
    },
    async close() {
      const all = [...entries.values()].map((e) => e.client.close());
      entries.clear();
      await Promise.all([...all, ...retiring]);
    },
  };
}
