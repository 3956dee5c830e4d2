/**
 * The webhook secrets of a provider's channels (`channels.credentials.webhookSecret`), cached
 * briefly: bulk campaigns bring thousands of receipts a minute, and a deployment has a handful of
 * channels, so each provider's whole list is one small query.
 *
 * A signature that matches no cached secret may be a channel created or a secret rotated since the
 * list was read, so the caller may ask for a fresh list — at most once per `minRefreshMs` per
 * provider, so a flood of unsigned requests cannot become a flood of queries.
 *
 * Credentials are stored encrypted (src/security/credentials.ts), so the whole column is read and
 * decrypted here rather than picked apart in SQL. A channel whose credentials no configured key
 * opens gets no secret (its webhooks are refused with 401) and is reported through `onUnreadable`.
 */
import type pg from 'pg';
import type { ProviderName } from '../providers/types.js';
import { decryptCredentials } from '../security/credentials.js';
import { developmentKeyring, type Keyring } from '../security/keyring.js';

export interface WebhookChannel {
  id: string;
  provider: ProviderName;
  /** Empty when the channel has no webhookSecret (its webhooks are all refused). */
  secret: string;
}

export interface ChannelSecrets {
  /** The provider's channels; `fresh` re-reads them unless they were read within `minRefreshMs`. */
  list(provider: ProviderName, options?: { fresh?: boolean }): Promise<WebhookChannel[]>;
}

export interface ChannelSecretsDeps {
  pool: pg.Pool;
  now: () => Date;
  /** How long a list is used without asking Postgres (default 30 s). */
  ttlMs?: number;
  /** The least time between two reads of one provider's list (default 1 s). */
  minRefreshMs?: number;
  /** Decrypts the credentials (config.credentialsKeyring); default the development keyring. */
  keyring?: Keyring;
  /** Called with a channel id whose credentials cannot be decrypted. */
  onUnreadable?: (channelId: string, err: unknown) => void;
}

function webhookSecretOf(credentials: unknown, keyring: Keyring): string {
  const secret = decryptCredentials(credentials, keyring).webhookSecret;
  return typeof secret === 'string' ? secret : '';
}

export function createChannelSecrets(deps: ChannelSecretsDeps): ChannelSecrets {
  const ttlMs = deps.ttlMs ?? 30_000;
  const minRefreshMs = deps.minRefreshMs ?? 1_000;
  const keyring = deps.keyring ?? developmentKeyring();
  const cache = new Map<ProviderName, { readAt: number; channels: Promise<WebhookChannel[]> }>();

  async function read(provider: ProviderName): Promise<WebhookChannel[]> {
    const result = await deps.pool.query<{ id: string; credentials: unknown }>(
      `SELECT id::text AS id, credentials FROM channels WHERE provider = $1::"Provider"`,
      [provider],
    );
    return result.rows.map((r) => {
      try {
        return { id: r.id, provider, secret: webhookSecretOf(r.credentials, keyring) };
      } catch (err) {
        deps.onUnreadable?.(r.id, err);
        return { id: r.id, provider, secret: '' };
      }
    });
  }

  return {
    async list(provider, options = {}) {
      const now = deps.now().getTime();
      const entry = cache.get(provider);
      const age = entry ? now - entry.readAt : Infinity;
      if (entry && age < (options.fresh ? minRefreshMs : ttlMs)) return entry.channels;
      const channels = read(provider);
      cache.set(provider, { readAt: now, channels });
      // A failed read must not be cached: the next request tries again.
      channels.catch(() => {
        if (cache.get(provider)?.channels === channels) cache.delete(provider);
      });
      return channels;
    },
  };
}
