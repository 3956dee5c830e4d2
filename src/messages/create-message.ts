/**
 * Accepting a one-off message: checks, then one campaign row of kind `message` with its single
 * ledger row, then its send job in the priority lane (enqueue-message.ts). From there it is a
 * campaign recipient like any other: the same claim, rate limits, window rule, retries, outcome
 * recording and webhook receipts.
 *
 * Idempotency by `request_id` (unique per channel): the insert is `ON CONFLICT (channel_id,
 * request_id) DO NOTHING`. Of concurrent duplicates exactly one inserts; the others wait on the
 * unique index until it commits, insert nothing, and read and answer that row — one row, one send
 * job, one send. A request whose insert rolled back leaves the key free for the next. The replayed
 * answer is the original message whatever the repeated body says (seed 000: the id "identifies the
 * request").
 */
import type pg from 'pg';
import type { PrismaClient } from '../db/prisma.js';
import type { Keyring } from '../security/keyring.js';
import { findChannelSpec } from '../channels/channel-spec.js';
import type { CapabilitySource } from '../channels/channel-capabilities.js';
import { checkExpiry, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_SECONDS } from '../campaigns/lifecycle/campaign-settings.js';
import { checkKindOnChannel } from '../campaigns/rich-content.js';
import { isUuid } from '../campaigns/uuid.js';
import { AppError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import type { ContentKind } from '../providers/types.js';
import { resolveCampaignTemplate } from '../templates/campaign-template.js';
import { enqueueMessage, type EnqueueMessageDeps } from './enqueue-message.js';
import { checkMessageInput, type CheckedMessage, type MessageInput } from './message-input.js';

export interface CreateMessageDeps extends EnqueueMessageDeps {
  prisma: PrismaClient;
  /** Opens the channel's stored credentials (for template lookups); default as findChannelSpec's. */
  keyring?: Keyring;
  log: Logger;
  now: () => Date;
  /** Template lookups for template_name and msg_param checks (as for campaigns). */
  providers?: CapabilitySource;
}

export interface AcceptedMessage {
  id: string;
  /** The recipient's status: pending for a new message; whatever it is now for a replay. */
  status: string;
  request_id: string;
  /** True when this request_id had been seen: the answer is the original message. */
  replayed: boolean;
}

const INSERT_MESSAGE_SQL = `
INSERT INTO campaigns (channel_id, name, kind, request_id, session_id, rich_content, recipient_type, content_type, content, msg_param,
                       send_type, status, recipient_count, launched_at, started_at, expires_at, max_attempts, max_retry_seconds, message_tag)
VALUES ($1, 'message', 'message', $2, $3, $4::jsonb, 'input', $5::"ContentType", $6, $7::jsonb,
        'immediately', 'running', 1, now(), now(), $8, $9, $10, $11)
ON CONFLICT (channel_id, request_id) DO NOTHING
RETURNING id`;

const EXISTING_SQL = `
SELECT c.id, c.fan_out_completed_at, r.id::text AS recipient_id, r.number, r.status::text AS status
  FROM campaigns c JOIN campaign_recipients r ON r.campaign_id = c.id
 WHERE c.channel_id = $1 AND c.request_id = $2 AND c.kind = 'message'`;

/**
 * @throws AppError from message-input.ts, and UNKNOWN_CHANNEL, CONTENT_NOT_SUPPORTED, VALIDATION_FAILED
 *   (session_id, tag, expires_at), TEMPLATE_* and DEPENDENCY_UNAVAILABLE from the template step.
 */
export async function createMessage(deps: CreateMessageDeps, input: MessageInput): Promise<AcceptedMessage> {
  const now = deps.now();
  const checked = checkMessageInput(input);
  const expiresAt = input.expires_at === undefined ? null : checkExpiry(input.expires_at, now, null);
  const channel = isUuid(input.channel_id) ? await findChannelSpec(deps.prisma, input.channel_id, deps.keyring) : null;
  if (!channel) throw new AppError('UNKNOWN_CHANNEL', `channel_id ${JSON.stringify(input.channel_id)} names no channel`, { field: 'channel_id' });

  // interactive always carries a rich message; every other content_type is a content kind itself.
  const kind = (checked.richContent ? checked.richContent.kind : checked.contentType) as ContentKind;
  checkKindOnChannel(kind, channel, checked.richContent ? 'message.kind' : 'content_type');
  if (checked.sessionId !== null && channel.provider !== 'yeastar') {
    throw new AppError('VALIDATION_FAILED', `session_id applies to yeastar channels; this channel is ${channel.provider}`, { field: 'session_id' });
  }
  if (input.tag !== undefined && channel.kind !== 'facebook') {
    throw new AppError('VALIDATION_FAILED', `tag applies to facebook channels only; this channel is ${channel.kind}`, { field: 'tag' });
  }
  const template = await resolveCampaignTemplate(deps.providers, channel, { ...input, msgParam: checked.msgParam });
  checkVariables(template.requiredVariables, input.variables);

  const inserted = await insertMessage(deps.pool, input, { ...checked, msgParam: template.msgParam }, expiresAt);
  if (inserted) {
    deps.log.info({ campaignId: inserted.id, requestId: checked.requestId }, 'message accepted');
    await enqueueMessage(deps, { campaignId: inserted.id, recipientId: inserted.recipientId, number: checked.number });
    return { id: inserted.id, status: 'pending', request_id: checked.requestId, replayed: false };
  }
  const existing = await deps.pool.query<{ id: string; fan_out_completed_at: Date | null; recipient_id: string; number: string; status: string }>(
    EXISTING_SQL,
    [input.channel_id, checked.requestId],
  );
  const row = existing.rows[0];
  if (!row) {
    // The key is taken by a campaign row that is not a message (never written by us): refuse it.
    throw new AppError('VALIDATION_FAILED', `request_id ${JSON.stringify(checked.requestId)} is already in use on this channel`, { field: 'request_id' });
  }
  if (row.fan_out_completed_at === null && row.status === 'pending') {
    await enqueueMessage(deps, { campaignId: row.id, recipientId: row.recipient_id, number: row.number });
  }
  return { id: row.id, status: row.status, request_id: checked.requestId, replayed: true };
}

/** The campaign row and its one ledger row in one transaction; null when the request_id was taken. */
async function insertMessage(
  pool: pg.Pool,
  input: MessageInput,
  m: CheckedMessage,
  expiresAt: Date | null,
): Promise<{ id: string; recipientId: string } | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(INSERT_MESSAGE_SQL, [
      input.channel_id,
      m.requestId,
      m.sessionId,
      m.richContent === null ? null : JSON.stringify(m.richContent),
      m.contentType,
      m.content,
      m.msgParam === null ? null : JSON.stringify(m.msgParam),
      expiresAt,
      input.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
      input.max_retry_seconds ?? DEFAULT_MAX_RETRY_SECONDS,
      input.tag ?? null,
    ]);
    const id = rows[0]?.id;
    if (id === undefined) {
      await client.query('ROLLBACK');
      return null;
    }
    const recipient = await client.query<{ id: string }>(
      'INSERT INTO campaign_recipients (campaign_id, number, variables) VALUES ($1, $2, $3::jsonb) RETURNING id::text AS id',
      [id, m.number, input.variables === undefined ? null : JSON.stringify(input.variables)],
    );
    await client.query('COMMIT');
    return { id, recipientId: recipient.rows[0]!.id };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A template built from its name needs every one of its variables (an empty one counts as missing). */
function checkVariables(required: readonly string[], variables: Readonly<Record<string, string>> | undefined): void {
  const missing = required.filter((name) => (variables?.[name] ?? '').trim() === '');
  const first = missing[0];
  if (first === undefined) return;
  throw new AppError('TEMPLATE_VARIABLES_MISSING', `variables has no value for the template variable(s) ${missing.join(', ')}`, {
    field: `variables.${first}`,
    details: { missing, required: [...required] },
  });
}
