/**
 * Reading campaigns back: one campaign with its per-status counts (one GROUP BY over the ledger),
 * and the ledger itself, keyset-paginated by id so each page is an index range scan however deep
 * the caller has walked.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { RecipientStatus } from '../generated/prisma/enums.js';
import { AppError } from '../errors/index.js';
import { fullCounts, toCampaignView, toRecipientView, type CampaignView, type RecipientView } from './campaign-view.js';
import { isUuid } from './uuid.js';

function notFound(id: string): AppError {
  return new AppError('CAMPAIGN_NOT_FOUND', `no campaign with id ${id}`);
}

/** @throws AppError CAMPAIGN_NOT_FOUND */
export async function getCampaign(prisma: PrismaClient, id: string): Promise<CampaignView> {
  if (!isUuid(id)) throw notFound(id);
  const campaign = await prisma.campaign.findUnique({ where: { id } });
  if (!campaign) throw notFound(id);
  const groups = await prisma.recipient.groupBy({ by: ['status'], where: { campaignId: id }, _count: { _all: true } });
  return toCampaignView(campaign, fullCounts(groups.map((g) => ({ status: g.status, count: g._count._all }))));
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
