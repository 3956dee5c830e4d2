/** The parts of `GET /v1/campaigns/:id` the demo reads, and what it derives from them. */
export interface RecipientCounts {
  pending: number;
  sending: number;
  retrying: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
  cancelled: number;
  expired: number;
}

export interface CampaignView {
  id: string;
  status: string;
  recipient_count: number;
  counts: RecipientCounts;
  created_at?: string | null;
  launched_at?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
}

/** Campaign statuses after which nothing more will be sent. */
export const FINAL_CAMPAIGN_STATUSES = new Set(['completed', 'cancelled', 'expired', 'failed']);

/** Recipients the provider accepted (delivery and read receipts only move them further along). */
export function sentCount(c: RecipientCounts): number {
  return c.sent + c.delivered + c.read;
}

/** Recipients whose outcome is settled, successful or not. */
export function settledCount(c: RecipientCounts): number {
  return sentCount(c) + c.failed + c.skipped + c.cancelled + c.expired;
}
