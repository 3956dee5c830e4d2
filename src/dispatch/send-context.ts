/**
 * What a send needs to know about its campaign and channel, read once per campaign every few
 * seconds instead of once per recipient: 10,000 sends of one campaign cost a handful of reads.
 *
 * Staleness is harmless here: the campaign's status is checked live by the claim (not from this
 * cache), and content/channel edits of a running campaign are not something we promise to pick up
 * mid-send. Concurrent misses for one campaign share one read (200 sends start at once on launch).
 */
import type { PrismaClient } from '../db/prisma.js';
import type { CampaignContent, CampaignContentType } from '../policy/render-content.js';
import type { ChannelSpec } from '../providers/types.js';

/** How long a loaded context is reused. */
export const SEND_CONTEXT_TTL_MS = 5_000;

export interface SendContext {
  campaignId: string;
  campaignName: string;
  content: CampaignContent;
  channel: ChannelSpec;
}

export interface SendContextCache {
  /** The campaign's context, or null when the campaign does not exist. */
  get(campaignId: string): Promise<SendContext | null>;
}

interface Entry {
  loadedAt: number;
  value: Promise<SendContext | null>;
}

/** A TTL cache over `load`; a failed load is not cached. */
export function createSendContextCache(deps: {
  load: (campaignId: string) => Promise<SendContext | null>;
  now?: () => number;
  ttlMs?: number;
}): SendContextCache {
  const now = deps.now ?? Date.now;
  const ttlMs = deps.ttlMs ?? SEND_CONTEXT_TTL_MS;
  const entries = new Map<string, Entry>();
  return {
    get(campaignId) {
      const at = now();
      const hit = entries.get(campaignId);
      if (hit && at - hit.loadedAt < ttlMs) return hit.value;
      // Drop expired entries as we go so a long-lived worker does not keep every campaign it saw.
      for (const [key, entry] of entries) if (at - entry.loadedAt >= ttlMs) entries.delete(key);
      const value = deps.load(campaignId);
      entries.set(campaignId, { loadedAt: at, value });
      value.catch(() => {
        if (entries.get(campaignId)?.value === value) entries.delete(campaignId);
      });
      return value;
    },
  };
}

/** Loads a campaign with its channel through Prisma (a cold path: once per campaign per TTL). */
export function prismaSendContextLoader(prisma: PrismaClient): (campaignId: string) => Promise<SendContext | null> {
  return async (campaignId) => {
    const campaign = await prisma.campaign.findUnique({
      where: { id: campaignId },
      select: {
        id: true,
        name: true,
        contentType: true,
        content: true,
        msgParam: true,
        channel: { select: { id: true, provider: true, kind: true, senderId: true, settings: true, credentials: true } },
      },
    });
    if (!campaign) return null;
    const { channel } = campaign;
    return {
      campaignId: campaign.id,
      campaignName: campaign.name,
      content: { contentType: campaign.contentType as CampaignContentType, content: campaign.content, msgParam: campaign.msgParam },
      channel: {
        id: channel.id,
        provider: channel.provider,
        kind: channel.kind,
        senderId: channel.senderId,
        settings: asRecord(channel.settings),
        credentials: asRecord(channel.credentials),
      },
    };
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
