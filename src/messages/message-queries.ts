/**
 * Reading one-off messages back: one message (GET /v1/messages/:id) and the messages newest first
 * (GET /v1/messages), keyset-paginated on (created_at, id) over the (kind, created_at) index, as
 * the campaign list is.
 */
import type { PrismaClient } from '../db/prisma.js';
import { isUuid } from '../campaigns/uuid.js';
import { AppError } from '../errors/index.js';
import { toMessageSummary, toMessageView, type MessageSummary, type MessageView } from './message-view.js';

function notFound(id: string): AppError {
  return new AppError('MESSAGE_NOT_FOUND', `no message with id ${id}`);
}

/**
 * @throws AppError MESSAGE_NOT_FOUND (also for the id of a campaign that is not a message).
 */
export async function getMessage(prisma: PrismaClient, id: string): Promise<MessageView> {
  if (!isUuid(id)) throw notFound(id);
  const campaign = await prisma.campaign.findFirst({ where: { id, kind: 'message' }, include: { recipients: { take: 1, orderBy: { id: 'asc' } } } });
  const recipient = campaign?.recipients[0];
  if (!campaign || !recipient) throw notFound(id);
  return toMessageView(campaign, recipient);
}

export interface MessagePage {
  items: MessageSummary[];
  next_cursor: string | null;
}

function encodeCursor(c: { createdAt: Date; id: string }): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (id === undefined || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', 'cursor must be the next_cursor of a previous page', { field: 'cursor' });
  }
  return { createdAt, id };
}

/**
 * One page of messages, newest first.
 * @throws AppError VALIDATION_FAILED (field cursor) for a cursor that no page gave.
 */
export async function listMessages(prisma: PrismaClient, options: { cursor?: string; limit: number; channelId?: string }): Promise<MessagePage> {
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  if (options.channelId !== undefined && !isUuid(options.channelId)) return { items: [], next_cursor: null };
  const rows = await prisma.campaign.findMany({
    where: {
      kind: 'message',
      ...(options.channelId ? { channelId: options.channelId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    include: { recipients: { take: 1, orderBy: { id: 'asc' } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const more = rows.length > options.limit;
  return {
    items: page.flatMap((c) => (c.recipients[0] ? [toMessageSummary(c, c.recipients[0])] : [])),
    next_cursor: more ? encodeCursor(page[page.length - 1]!) : null,
  };
}
