/**
 * How campaigns and ledger rows look in API answers: snake_case like seed 001, timestamps as ISO
 * strings, send_time as Unix seconds (as it was given), bigint ids as decimal strings (JSON numbers
 * lose precision above 2^53).
 */
import type { Campaign, Recipient } from '../generated/prisma/client.js';
import { CampaignStatus, RecipientStatus } from '../generated/prisma/enums.js';
import type { Reasons } from './progress.js';

export type RecipientCounts = Record<RecipientStatus, number>;

export const RECIPIENT_STATUSES = Object.values(RecipientStatus);
export const CAMPAIGN_STATUSES = Object.values(CampaignStatus);

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** Counts per status with every status present (0 where none). */
export function fullCounts(groups: readonly { status: RecipientStatus; count: number }[]): RecipientCounts {
  const counts = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as RecipientCounts;
  for (const g of groups) counts[g.status] = g.count;
  return counts;
}

export function toCampaignView(c: Campaign, counts: RecipientCounts) {
  return {
    id: c.id,
    name: c.name,
    channel_id: c.channelId,
    recipient_type: c.recipientType,
    recipient_id: c.phonebookId === null ? null : c.phonebookId.toString(),
    recipient_num_type: c.recipientNumType,
    content_type: c.contentType,
    content: c.content,
    msg_param: c.msgParam ?? null,
    message: c.richContent ?? null,
    send_type: c.sendType,
    send_time: c.sendTime === null ? null : Math.floor(c.sendTime.getTime() / 1000),
    send_mode: c.sendMode,
    assign_to_type: c.assignToType,
    assign_to_id: c.assignToId,
    status: c.status,
    failure_reason: c.failureReason,
    recipient_count: c.recipientCount,
    counts,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    launched_at: iso(c.launchedAt),
    started_at: iso(c.startedAt),
    finished_at: iso(c.finishedAt),
    fan_out_completed_at: iso(c.fanOutCompletedAt),
  };
}

/** How a campaign is moving, added to its view when it is read on its own (see progress.ts). */
export interface ProgressView {
  /** Sends per second over the last RATE_WINDOW_SECONDS. */
  rate_per_second: number;
  /** Seconds until the remaining recipients are sent at that rate; null when nothing is moving. */
  eta_seconds: number | null;
  reasons: Reasons;
}

export type CampaignView = ReturnType<typeof toCampaignView> & Partial<ProgressView>;

/** A campaign in a list: what tells campaigns apart, without the ledger reads of the full view. */
export function toCampaignSummary(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    channel_id: c.channelId,
    status: c.status,
    content_type: c.contentType,
    send_type: c.sendType,
    recipient_count: c.recipientCount,
    failure_reason: c.failureReason,
    created_at: c.createdAt.toISOString(),
    launched_at: iso(c.launchedAt),
    started_at: iso(c.startedAt),
    finished_at: iso(c.finishedAt),
  };
}

export type CampaignSummary = ReturnType<typeof toCampaignSummary>;

export function toRecipientView(r: Recipient) {
  return {
    id: r.id.toString(),
    number: r.number,
    variables: r.variables ?? null,
    status: r.status,
    attempts: r.attempts,
    provider_message_id: r.providerMessageId,
    last_error_code: r.lastErrorCode,
    last_error_message: r.lastErrorMessage,
    sent_content: r.sentContent,
    reason: r.reason,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    sent_at: iso(r.sentAt),
    delivered_at: iso(r.deliveredAt),
    read_at: iso(r.readAt),
    failed_at: iso(r.failedAt),
  };
}

export type RecipientView = ReturnType<typeof toRecipientView>;
