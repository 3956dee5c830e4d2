/**
 * A campaign's delivery settings, checked the same way on create, PATCH and resend. Pure: the time
 * is an argument.
 * - expires_at (Unix seconds): the validity. Recipients not sent by then end `expired` rather than
 *   going out late; it must lie in the future, and after send_time for a scheduled campaign (an
 *   expiry before the start would make the campaign dead on arrival).
 * - max_attempts, max_retry_seconds: how hard the worker retries one recipient.
 * - message_tag: the Messenger message tag that allows a send outside the 24-hour window; only
 *   Facebook channels have such a thing.
 * Ranges are part of the request schemas too (src/api/schemas), so a request out of range is
 * refused with the field named before this code runs.
 */
import { AppError } from '../../errors/index.js';
import type { ChannelKind } from '../campaign-content.js';

export const MESSAGE_TAGS = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE', 'HUMAN_AGENT'] as const;
export type MessageTag = (typeof MESSAGE_TAGS)[number];

export const MAX_ATTEMPTS_LIMITS = { minimum: 1, maximum: 50 } as const;
/** Seven days: Messenger's HUMAN_AGENT tag, the longest-lived reason to keep trying, is 7 days. */
export const MAX_RETRY_SECONDS_LIMITS = { minimum: 1, maximum: 7 * 24 * 3600 } as const;
/** The column defaults in prisma/schema.prisma, written explicitly on insert. */
export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_MAX_RETRY_SECONDS = 3600;

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Checks an expiry against the clock and the start of the campaign.
 * @param startsAt send_time of a scheduled campaign, or null when it starts now / on launch.
 * @throws AppError VALIDATION_FAILED (field expires_at)
 */
export function checkExpiry(expiresAt: number, now: Date, startsAt: Date | null): Date {
  const at = new Date(expiresAt * 1000);
  if (at.getTime() <= now.getTime()) {
    throw new AppError('VALIDATION_FAILED', `expires_at ${expiresAt} is not in the future (now is ${unixSeconds(now)})`, {
      field: 'expires_at',
      details: { now: unixSeconds(now) },
    });
  }
  if (startsAt !== null && at.getTime() <= startsAt.getTime()) {
    throw new AppError('VALIDATION_FAILED', `expires_at ${expiresAt} must be after send_time ${unixSeconds(startsAt)}`, {
      field: 'expires_at',
      details: { send_time: unixSeconds(startsAt) },
    });
  }
  return at;
}

/**
 * Message tags are a Messenger rule.
 * @throws AppError VALIDATION_FAILED (field message_tag) on any other channel kind.
 */
export function checkMessageTag(tag: MessageTag | null | undefined, kind: ChannelKind): void {
  if (tag === null || tag === undefined || kind === 'facebook') return;
  throw new AppError('VALIDATION_FAILED', `message_tag applies to facebook channels only; this channel is ${kind}`, {
    field: 'message_tag',
  });
}

/** True when a campaign with this validity may no longer start at `now`. */
export function hasExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
