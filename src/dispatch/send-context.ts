/**
 * What a send needs to know about its campaign and channel, read once per campaign per second
 * instead of once per recipient: 10,000 sends of one campaign cost a handful of reads.
 *
 * Staleness is bounded and harmless:
 * - the campaign's status here only decides whether a job bothers the rate limiter; the claim
 *   checks the status live, so a pause or cancel stops sends at the next claim, whatever this
 *   cache says. The TTL is 1 s so that a paused campaign's queued jobs stop taking rate-limit
 *   room from other campaigns within a second;
 * - expires_at here only decides whether to run the (live-checked) expiry statement;
 * - content, limits and channel edits of a running campaign are picked up within the TTL.
 * Concurrent misses for one campaign share one read (200 sends start at once on launch).
 */
import { decryptCredentials } from '../security/credentials.js';
import type { Keyring } from '../security/keyring.js';
import type { PrismaClient } from '../db/prisma.js';
import type { LimitedChannel } from '../policy/rate-limits.js';
import type { CampaignContent, CampaignContentType } from '../policy/render-content.js';
import type { ChannelSpec } from '../providers/types.js';

/** How long a loaded context is reused. */
export const SEND_CONTEXT_TTL_MS = 1_000;

export interface SendContext {
  campaignId: string;
  campaignName: string;
  /** campaign, or message (a one-off sent through POST /v1/messages). */
  kind: 'campaign' | 'message';
  /** A one-off message's Yeastar session to send in (instead of starting one); else null. */
  sessionId: string | null;
  /** The status when loaded (up to the TTL old; the claim re-checks it live). */
  status: string;
  content: CampaignContent;
  /** Messenger tag for sends outside the 24-hour window. */
  messageTag: string | null;
  expiresAt: Date | null;
  maxAttempts: number;
  maxRetrySeconds: number;
  channel: ChannelSpec;
  /** The channel as the rate limits see it. */
  limits: LimitedChannel;
}

export interface SendContextCache {
  /** The campaign's context, or null when the campaign does not exist. */
  get(campaignId: string): Promise<SendContext | null>;
  /** Forgets a campaign's entry (its status is known to have changed). */
  invalidate(campaignId: string): void;
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
    invalidate(campaignId) {
      entries.delete(campaignId);
    },
  };
}

/** Loads a campaign with its channel through Prisma (a cold path: once per campaign per TTL). */
export function prismaSendContextLoader(
  prisma: PrismaClient,
  keyring: Keyring,
): (campaignId: string) => Promise<SendContext | null> {
  return async (campaignId) => {
    const campaign = await prisma.campaign.findUnique({
      where: { id: campaignId },
      select: {
        id: true,
        name: true,
        kind: true,
        sessionId: true,
        status: true,
        contentType: true,
        content: true,
        msgParam: true,
        richContent: true,
        messageTag: true,
        expiresAt: true,
        maxAttempts: true,
        maxRetrySeconds: true,
        channel: {
          select: { id: true, provider: true, kind: true, senderId: true, settings: true, credentials: true, ratePerSecond: true, pairGapMs: true },
        },
      },
    });
    if (!campaign) return null;
    const { channel } = campaign;
    const spec: ChannelSpec = {
      id: channel.id,
      provider: channel.provider,
      kind: channel.kind,
      senderId: channel.senderId,
      settings: asRecord(channel.settings),
      credentials: decryptCredentials(channel.credentials, keyring),
    };
    return {
      campaignId: campaign.id,
      campaignName: campaign.name,
      kind: campaign.kind,
      sessionId: campaign.sessionId,
      status: campaign.status,
      content: {
        contentType: campaign.contentType as CampaignContentType,
        content: campaign.content,
        msgParam: campaign.msgParam,
        richContent: campaign.richContent,
      },
      messageTag: campaign.messageTag,
      expiresAt: campaign.expiresAt,
      maxAttempts: campaign.maxAttempts,
      maxRetrySeconds: campaign.maxRetrySeconds,
      channel: spec,
      limits: { ...spec, ratePerSecond: channel.ratePerSecond, pairGapMs: channel.pairGapMs },
    };
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
