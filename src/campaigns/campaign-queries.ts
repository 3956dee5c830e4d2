/**
 * Reading campaigns back: one campaign with its per-status counts and progress (one statement over
 * the ledger, see progress-query.ts), the campaigns newest first, and the ledger itself — both
 * lists keyset-paginated, so each page is an index range scan however deep the caller has walked.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { CampaignStatus, RecipientStatus } from '../generated/prisma/enums.js';
import { AppError } from '../errors/index.js';
import {
  fullCounts,
  toCampaignSummary,
  toCampaignView,
  toRecipientView,
  type CampaignSummary,
  type CampaignView,
  type RecipientView,
} from './campaign-view.js';
import { etaSeconds, groupReasons, RATE_WINDOW_SECONDS, remainingCount, sendRate } from './progress.js';
import { readLedgerSnapshot } from './progress-query.js';
import { isUuid } from './uuid.js';

function notFound(id: string): AppError {
  return new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${id}`);
}

/**
 * One campaign with its counts per status and its progress as of `now`.
 * @throws AppError CAMPAIGN_NOT_FOUND
 */
export async function getCampaign(prisma: PrismaClient, id: string, now: Date = new Date()): Promise<CampaignView> {
  if (!isUuid(id)) throw notFound(id);
  const campaign = await prisma.campaign.findUnique({ where: { id } });
  if (!campaign) throw notFound(id);
  const since = new Date(now.getTime() - RATE_WINDOW_SECONDS * 1000);
  const ledger = await readLedgerSnapshot(prisma, id, since);
  const counts = fullCounts(ledger.statusCounts);
  const rate = sendRate({ sentInWindow: ledger.sentSince, windowSeconds: RATE_WINDOW_SECONDS, startedAt: campaign.startedAt, now });
  const running = campaign.status === 'running' && campaign.finishedAt === null;
  return {
    ...toCampaignView(campaign, counts),
    rate_per_second: rate,
    eta_seconds: etaSeconds({ remaining: remainingCount(counts), ratePerSecond: rate, running }),
    reasons: groupReasons(ledger.reasonCounts),
  };
}

export interface CampaignPage {
  items: CampaignSummary[];
  /** The value to pass as `cursor` for the next page; null when this page is the last. */
  next_cursor: string | null;
}

export interface ListCampaignsOptions {
  status?: CampaignStatus;
  /** The next_cursor of the previous page. */
  cursor?: string;
  limit: number;
}

/**
 * The cursor names the last campaign of a page by (created_at, id) — the sort key, with the id
 * breaking ties between campaigns created in the same millisecond. It is opaque to clients.
 */
function encodeCampaignCursor(c: { createdAt: Date; id: string }): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

function decodeCampaignCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (id === undefined || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', 'cursor must be the next_cursor of a previous page', { field: 'cursor' });
  }
  return { createdAt, id };
}

/**
 * One page of campaigns proper (kind campaign), newest first. One-off messages are campaign rows
 * too (kind message) but are listed by GET /v1/messages (src/messages/message-queries.ts): a busy
 * API sending thousands of replies would otherwise bury the campaigns.
 * @throws AppError VALIDATION_FAILED (field cursor) for a cursor that no page gave.
 */
export async function listCampaigns(prisma: PrismaClient, options: ListCampaignsOptions): Promise<CampaignPage> {
  const after = options.cursor === undefined ? undefined : decodeCampaignCursor(options.cursor);
  const rows = await prisma.campaign.findMany({
    where: {
      kind: 'campaign',
      ...(options.status ? { status: options.status } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const more = rows.length > options.limit;
  return { items: page.map(toCampaignSummary), next_cursor: more ? encodeCampaignCursor(page[page.length - 1]!) : null };
}

export interface RecipientPage {
  items: RecipientView[];
  /** The id to pass as `cursor` for the next page; null when this page is the last. */
  next_cursor: string | null;
}

export interface ListRecipientsOptions {
  status?: RecipientStatus;
  /** The last id of the previous page (exclusive). */
  cursor?: string;
  limit: number;
}

/**
 * One page of a campaign's ledger in id order.
 * @throws AppError CAMPAIGN_NOT_FOUND, VALIDATION_FAILED (field cursor) for a cursor that is not an id.
 */
export async function listRecipients(prisma: PrismaClient, campaignId: string, options: ListRecipientsOptions): Promise<RecipientPage> {
  if (!isUuid(campaignId)) throw notFound(campaignId);
  if (options.cursor !== undefined && !/^\d{1,19}$/.test(options.cursor)) {
    throw new AppError('VALIDATION_FAILED', 'cursor must be the next_cursor of a previous page', { field: 'cursor' });
  }
  const exists = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { id: true } });
  if (!exists) throw notFound(campaignId);
  // One row more than asked tells whether another page follows, so the last page says so itself.
  const rows = await prisma.recipient.findMany({
    where: {
      campaignId,
      ...(options.status ? { status: options.status } : {}),
      ...(options.cursor ? { id: { gt: BigInt(options.cursor) } } : {}),
    },
    orderBy: { id: 'asc' },
    take: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const more = rows.length > options.limit;
  return { items: page.map(toRecipientView), next_cursor: more ? page[page.length - 1]!.id.toString() : null };
}
