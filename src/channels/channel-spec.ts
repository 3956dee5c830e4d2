/**
 * A channel as the provider layer needs it (ChannelSpec: settings and credentials included), read
 * for the API routes that talk to the provider themselves — template lookup, file upload, and
 * campaign creation from a template name. The worker builds the same spec in its send context;
 * both hand it to a provider registry, whose client cache is keyed by channel id and fingerprint.
 *
 * The credentials read here never leave the process: they go to the provider client only.
 */
import type { PrismaClient } from '../db/prisma.js';
import { AppError } from '../errors/index.js';
import type { ChannelSpec } from '../providers/types.js';
import { isUuid } from '../campaigns/uuid.js';

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The channel `id` with its credentials, or null when there is none (or `id` is not a uuid). */
export async function findChannelSpec(prisma: PrismaClient, id: string): Promise<ChannelSpec | null> {
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
    credentials: asRecord(row.credentials),
  };
}

/**
 * The channel named in a route's path.
 * @throws AppError CHANNEL_NOT_FOUND (404)
 */
export async function requireChannelSpec(prisma: PrismaClient, id: string): Promise<ChannelSpec> {
  const spec = await findChannelSpec(prisma, id);
  if (!spec) throw new AppError('CHANNEL_NOT_FOUND', `no channel ${JSON.stringify(id)}`);
  return spec;
}
