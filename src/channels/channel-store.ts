/**
 * Channels in Postgres. Credentials go in and never come out of this module's views: the API
 * answers with `toChannelView`, which has no credentials field at all.
 */
import type { Channel } from '../generated/prisma/client.js';
import type { PrismaClient } from '../db/prisma.js';
import { Prisma } from '../db/prisma.js';

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

/** Stores a channel whose settings and credentials the caller has validated for its provider. */
export async function createChannel(prisma: PrismaClient, input: NewChannel): Promise<ChannelView> {
  const row = await prisma.channel.create({
    data: {
      name: input.name,
      provider: input.provider,
      kind: input.kind,
      senderId: input.senderId,
      ratePerSecond: input.ratePerSecond,
      settings: input.settings as Prisma.InputJsonObject,
      credentials: input.credentials as Prisma.InputJsonObject,
    },
  });
  return toChannelView(row);
}

/** Every channel, oldest first (a deployment has a handful, so no pagination). */
export async function listChannels(prisma: PrismaClient): Promise<ChannelView[]> {
  const rows = await prisma.channel.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], omit: { credentials: true } });
  return rows.map((r) => toChannelView({ ...r, credentials: null }));
}
