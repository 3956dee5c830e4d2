/**
 * A channel as the provider layer needs it (ChannelSpec: settings and credentials included), read
 * for the API routes that talk to the provider themselves — template lookup, file upload, and
 * campaign creation from a template name. The worker builds the same spec in its send context;
 * both hand it to a provider registry, whose client cache is keyed by channel id and fingerprint.
 *
 * The credentials read here never leave the process: they go to the provider client only. They are
 * decrypted with the keyring (src/security/credentials.ts); rows still in plaintext are read as
 * they are.
 *
 * Transitional: `keyring` is optional until every caller passes the configured one
 * (config.credentialsKeyring); without it the development keyring is used, which opens nothing a
 * production key wrote — such a read fails loudly with CREDENTIALS_UNREADABLE rather than silently.
 */
import type { PrismaClient } from '../db/prisma.js';
import { AppError } from '../errors/index.js';
import type { ChannelSpec } from '../providers/types.js';
import { isUuid } from '../campaigns/uuid.js';
import { decryptCredentials } from '../security/credentials.js';
import { developmentKeyring, type Keyring } from '../security/keyring.js';

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The channel `id` with its decrypted credentials, or null when there is none (or `id` is not a uuid).
 * @throws AppError CREDENTIALS_UNREADABLE when no key of `keyring` opens the stored credentials.
 */
export async function findChannelSpec(prisma: PrismaClient, id: string, keyring?: Keyring): Promise<ChannelSpec | null> {
  if (!isUuid(id)) return null;
  const row = await prisma.channel.findUnique({
    where: { id },
    select: { id: true, provider: true, kind: true, senderId: true, settings: true, credentials: true },
  });
  if (!row) return null;
  return {
    id: row.id,
    provider: row.provider,
    kind: row.kind,
    senderId: row.senderId,
    settings: asRecord(row.settings),
    credentials: decryptCredentials(row.credentials, keyring ?? developmentKeyring()),
  };
}

/**
 * The channel named in a route's path.
 * @throws AppError CHANNEL_NOT_FOUND (404)
 */
export async function requireChannelSpec(prisma: PrismaClient, id: string, keyring?: Keyring): Promise<ChannelSpec> {
  const spec = await findChannelSpec(prisma, id, keyring);
  if (!spec) throw new AppError('CHANNEL_NOT_FOUND', `no channel ${JSON.stringify(id)}`);
  return spec;
}
