/**
 * Channels in Postgres. Credentials go in encrypted (AES-256-GCM under the keyring's current key,
 * src/security/credentials.ts) and never come out of this module's views: the API answers with
 * `toChannelView`, which has no credentials field at all.
 */
import type { Channel } from '../generated/prisma/client.js';
import type { PrismaClient } from '../db/prisma.js';
import { Prisma } from '../db/prisma.js';
import { encryptCredentials } from '../security/credentials.js';
import type { Keyring } from '../security/keyring.js';

export interface NewChannel {
  name: string;
  provider: 'yeastar' | 'connectly';
  kind: 'sms' | 'whatsapp' | 'facebook';
  senderId: string;
  ratePerSecond: number;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

export interface ChannelView {
  id: string;
  name: string;
  provider: string;
  kind: string;
  sender_id: string;
  rate_per_second: number;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export function toChannelView(c: Channel): ChannelView {
  return {
    id: c.id,
    name: c.name,
    provider: c.provider,
    kind: c.kind,
    sender_id: c.senderId,
    rate_per_second: c.ratePerSecond,
    settings: (c.settings ?? {}) as Record<string, unknown>,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/**
 * Stores a channel whose settings and credentials the caller has validated for its provider; the
 * credentials are written as an envelope under `keyring`'s current key.
 */
export async function createChannel(prisma: PrismaClient, input: NewChannel, keyring: Keyring): Promise<ChannelView> {
  const row = await prisma.channel.create({
    data: {
      name: input.name,
      provider: input.provider,
      kind: input.kind,
      senderId: input.senderId,
      ratePerSecond: input.ratePerSecond,
      settings: input.settings as Prisma.InputJsonObject,
      credentials: encryptCredentials(input.credentials, keyring) as unknown as Prisma.InputJsonObject,
    },
  });
  return toChannelView(row);
}

/** Every channel, oldest first (a deployment has a handful, so no pagination). */
export async function listChannels(prisma: PrismaClient): Promise<ChannelView[]> {
  const rows = await prisma.channel.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], omit: { credentials: true } });
  return rows.map((r) => toChannelView({ ...r, credentials: null }));
}
