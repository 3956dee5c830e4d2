/**
 * The lifecycle columns of a campaign as the API shows them: expires_at as Unix seconds (as it is
 * given), timestamps as ISO strings. Spread into a campaign view so GET and PATCH show the same.
 */
import type { Campaign } from '../../generated/prisma/client.js';

export function lifecycleFields(c: Campaign) {
  return {
    expires_at: c.expiresAt === null ? null : Math.floor(c.expiresAt.getTime() / 1000),
    max_attempts: c.maxAttempts,
    max_retry_seconds: c.maxRetrySeconds,
    message_tag: c.messageTag,
    paused_at: c.pausedAt?.toISOString() ?? null,
    cancelled_at: c.cancelledAt?.toISOString() ?? null,
    source_campaign_id: c.sourceCampaignId,
  };
}

export type LifecycleFields = ReturnType<typeof lifecycleFields>;
