/**
 * The provider registry: one client per channel, built on first use and cached by channel id.
 * A channel whose settings or credentials changed gets a new client; the old one is closed once its
 * in-flight calls have finished (closing at once would cut their sockets).
 *
 * `capabilitiesFor` hands out the same cached client's optional abilities (file upload, template
 * lookup), so they share its keep-alive sockets and, for Yeastar, its fleet-wide token.
 */
import type { Logger } from '../observability/logger.js';
import { channelFingerprint } from './channel-fingerprint.js';
import { createConnectlyClient } from './connectly/client.js';
import type { HttpTimeouts } from './http-client.js';
import type { ChannelSpec, FileUploader, OutboundMessage, ProviderCapabilities, ProviderClient, SendOptions, SendResult, SharedStore, TemplateDirectory } from './types.js';
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
  /**
   * What the channel's client can do besides sending: `uploader` and `templates` are set for
   * Yeastar channels, undefined for Connectly. Same misconfiguration error as `clientFor`.
   */
  capabilitiesFor(channel: ChannelSpec): ProviderCapabilities;
  /** Closes every client (current and retired). */
  close(): Promise<void>;
}

interface Entry {
  fingerprint: string;
  client: TrackedClient;
}

interface TrackedClient extends ProviderClient {
  readonly capabilities: ProviderCapabilities;
  /** Close as soon as no call is in flight. */
  retire(): void;
}

function isUploader(client: object): client is FileUploader {
  return typeof (client as Partial<FileUploader>).uploadFiles === 'function';
}

function isTemplateDirectory(client: object): client is TemplateDirectory {
  return typeof (client as Partial<TemplateDirectory>).searchTemplates === 'function';
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
    async function counted<T>(fn: () => Promise<T>): Promise<T> {
      inFlight++;
      try {
        return await fn();
      } finally {
        inFlight--;
        closeIfIdle();
      }
    }
    const capabilities: ProviderCapabilities = {
      ...(isUploader(inner) ? { uploader: { uploadFiles: (files) => counted(() => inner.uploadFiles(files)) } } : {}),
      ...(isTemplateDirectory(inner) ? { templates: { searchTemplates: (query) => counted(() => inner.searchTemplates(query)) } } : {}),
    };
    return {
      provider: inner.provider,
      capabilities,
      send: (message: OutboundMessage, options?: SendOptions): Promise<SendResult> => counted(() => inner.send(message, options)),
      close: closeOnce,
      retire() {
        retired = true;
        closeIfIdle();
      },
    };
  }

  function clientFor(channel: ChannelSpec): TrackedClient {
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
  }

  return {
    clientFor,
    capabilitiesFor: (channel) => clientFor(channel).capabilities,
    async close() {
      const all = [...entries.values()].map((e) => e.client.close());
      entries.clear();
      await Promise.all([...all, ...retiring]);
    },
  };
}
