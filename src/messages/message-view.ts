/**
 * How a one-off message looks in API answers: the campaign row (kind message) and its one ledger
 * row, folded into one object. Its `status` is the ledger row's (pending → sending → sent →
 * delivered → read, or retrying, failed, skipped, expired, cancelled); `sent_content` and `reason`
 * say which content went out and why (`template` with `window_closed`: the 24-hour window was
 * closed, so the fallback template went instead of the session message); `receipts` lists what the
 * provider's webhooks reported, in order. Pure.
 */
import type { Campaign, Recipient } from '../generated/prisma/client.js';
import { isSessionRecipient } from '../policy/session-recipient.js';

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** The events the ledger row has a time for, oldest first. */
export function receiptsOf(r: Pick<Recipient, 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'>): { status: string; at: string }[] {
  const events: [string, Date | null][] = [
    ['sent', r.sentAt],
    ['delivered', r.deliveredAt],
    ['read', r.readAt],
    ['failed', r.failedAt],
  ];
  return events
    .filter((e): e is [string, Date] => e[1] !== null)
    .sort((a, b) => a[1].getTime() - b[1].getTime())
    .map(([status, at]) => ({ status, at: at.toISOString() }));
}

export function toMessageView(c: Campaign, r: Recipient) {
  return {
    id: c.id,
    channel_id: c.channelId,
    request_id: c.requestId,
    to: isSessionRecipient(r.number) ? null : r.number,
    session_id: c.sessionId,
    content_type: c.contentType,
    content: c.content,
    msg_param: c.msgParam ?? null,
    message: c.richContent ?? null,
    variables: r.variables ?? null,
    tag: c.messageTag,
    status: r.status,
    attempts: r.attempts,
    provider_message_id: r.providerMessageId,
    sent_content: r.sentContent,
    reason: r.reason,
    last_error_code: r.lastErrorCode,
    last_error_message: r.lastErrorMessage,
    receipts: receiptsOf(r),
    expires_at: c.expiresAt === null ? null : Math.floor(c.expiresAt.getTime() / 1000),
    created_at: c.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    sent_at: iso(r.sentAt),
    delivered_at: iso(r.deliveredAt),
    read_at: iso(r.readAt),
    failed_at: iso(r.failedAt),
  };
}

export type MessageView = ReturnType<typeof toMessageView>;

/** A message in a list: who, what kind, where it stands. */
export function toMessageSummary(c: Campaign, r: Recipient) {
  return {
    id: c.id,
    channel_id: c.channelId,
    request_id: c.requestId,
    to: isSessionRecipient(r.number) ? null : r.number,
    session_id: c.sessionId,
    content_type: c.contentType,
    status: r.status,
    sent_content: r.sentContent,
    reason: r.reason,
    created_at: c.createdAt.toISOString(),
    sent_at: iso(r.sentAt),
  };
}

export type MessageSummary = ReturnType<typeof toMessageSummary>;
