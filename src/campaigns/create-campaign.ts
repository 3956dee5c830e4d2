/**
 * Creating a campaign: every check first (nothing is written for invalid input), then the campaign
 * row and all its ledger rows in one transaction, then — after the commit — the launch job.
 *
 * The enqueue comes after the commit on purpose: a launch job must never name a campaign that a
 * rollback erased. If Redis is down at that moment the campaign is still accepted (it is in
 * Postgres, the source of truth) and the worker's reconciler enqueues the launch later: it
 * re-launches `running` campaigns whose fan_out_completed_at is null and past-due `scheduled` ones.
 */
import type { Keyring } from '../security/keyring.js';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Queues } from '../queue/queues.js';
import { AppError } from '../errors/index.js';
import type { CapabilitySource } from '../channels/channel-capabilities.js';
import { findChannelSpec } from '../channels/channel-spec.js';
import { resolveCampaignTemplate } from '../templates/campaign-template.js';
import { checkInlineVariables, checkLedgerVariables } from '../templates/template-variables.js';
import { checkContent, checkContentOnChannel, checkFallbackTemplate, type CheckedContent, type ContentType } from './campaign-content.js';
import { checkKindOnChannel, checkRichMessage } from './rich-content.js';
import type { ContentKind } from '../providers/types.js';
import { normaliseInlineRecipients, type InlineRecipientInput } from './inline-recipients.js';
import { insertRecipients } from './insert-recipients.js';
import { launchAfterCommit } from './launch-enqueue.js';
import {
  checkExpiry,
  checkMessageTag,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RETRY_SECONDS,
  type MessageTag,
} from './lifecycle/campaign-settings.js';
import { phonebookExists, resolvePhonebookRecipients, type RecipientNumType, type SkippedContact } from './phonebook-recipients.js';
import { planSend, type SendTypeInput } from './send-schedule.js';
import { isUuid } from './uuid.js';

/** The request body of POST /v1/campaigns, after schema validation (seed 001's fields). */
export interface CreateCampaignInput {
  name: string;
  channel_id: string;
  recipient_type: 'input' | 'phonebook';
  number_list?: InlineRecipientInput[];
  recipient_id?: number;
  recipient_num_type?: RecipientNumType;
  content_type: ContentType | 'interactive';
  content?: string;
  /** content_type interactive: the rich message object (src/campaigns/rich-content.ts). */
  message?: object;
  msg_param?: string | object;
  /** Instead of msg_param: the name of one of the channel's approved templates (Yeastar WhatsApp). */
  template_name?: string;
  template_language?: string;
  /** A media header's file (File_Info), for a template_name whose header is an image, video or document. */
  template_header_file?: string | object;
  send_type: SendTypeInput;
  send_time?: number;
  send_mode?: string;
  assign_to_type?: string;
  assign_to_id?: number;
  /** Unix seconds; after now, and after send_time when scheduled (lifecycle/campaign-settings.ts). */
  expires_at?: number;
  max_attempts?: number;
  max_retry_seconds?: number;
  /** Facebook channels only. */
  message_tag?: MessageTag;
}

export interface CreatedCampaign {
  id: string;
  status: 'running' | 'scheduled' | 'draft';
  recipient_count: number;
  duplicates_removed: number;
  /** Phonebook campaigns only: contacts that did not make it into the ledger, and why. */
  skipped_contacts?: SkippedContact[];
  skipped_contacts_total?: number;
}

export interface CreateCampaignDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  queues: Pick<Queues, 'launch'>;
  log: Logger;
  now: () => Date;
  maxInlineRecipients: number;
  /** Template lookups for template_name and msg_param checks; without it neither happens. */
  providers?: CapabilitySource;
  /** Decrypts the channel's stored credentials for provider lookups. */
  keyring: Keyring;
}

const INSERT_CAMPAIGN_SQL = `
INSERT INTO campaigns (channel_id, name, recipient_type, phonebook_id, recipient_num_type, content_type, content, msg_param,
                       send_type, send_time, send_mode, assign_to_type, assign_to_id, status, recipient_count, launched_at,
                       expires_at, max_attempts, max_retry_seconds, message_tag, rich_content)
VALUES ($1, $2, $3::"RecipientSource", $4, $5, $6::"ContentType", $7, $8::jsonb,
        $9::"SendType", $10, $11, $12, $13, $14::"CampaignStatus", $15, $16,
        $17, $18, $19, $20, $21::jsonb)
RETURNING id`;

/**
 * Validates and persists a campaign with its recipients, then enqueues its launch.
 * @throws AppError (VALIDATION_FAILED (also expires_at, message_tag), SEND_TIME_INVALID, CONTENT_REQUIRED, CONTENT_NOT_SUPPORTED,
 *   UNKNOWN_CHANNEL, UNKNOWN_PHONEBOOK, INVALID_PHONE_NUMBER, TOO_MANY_RECIPIENTS, NO_RECIPIENTS; from the template step
 *   (src/templates/campaign-template.ts) TEMPLATE_NOT_FOUND, TEMPLATE_PARAMETERS_INVALID, TEMPLATE_VARIABLES_MISSING,
 *   CAPABILITY_NOT_SUPPORTED, DEPENDENCY_UNAVAILABLE)
 */
export async function createCampaign(deps: CreateCampaignDeps, input: CreateCampaignInput): Promise<CreatedCampaign> {
  const now = deps.now();
  // Pure checks first: they are cheap and need no database.
  const plan = planSend(input.send_type, input.send_time, now);
  const richContent = input.content_type === 'interactive' ? checkRichMessage(input.message) : null;
  // An interactive campaign's msg_param is its window-closed fallback, as a text campaign's is.
  const content: CheckedContent = richContent
    ? { content: null, msgParam: checkFallbackTemplate(input.msg_param) }
    : checkContent({ ...input, content_type: input.content_type as ContentType });
  const expiresAt =
    input.expires_at === undefined ? null : checkExpiry(input.expires_at, now, plan.status === 'scheduled' ? plan.sendTime : null);
  const inline = input.recipient_type === 'input' ? normaliseInlineRecipients(input.number_list, deps.maxInlineRecipients) : undefined;
  if (input.recipient_type === 'phonebook') {
    if (input.recipient_id === undefined) {
      throw new AppError('VALIDATION_FAILED', 'recipient_id is required when recipient_type is phonebook', { field: 'recipient_id' });
    }
    if (input.recipient_num_type === undefined) {
      throw new AppError('VALIDATION_FAILED', 'recipient_num_type is required when recipient_type is phonebook', { field: 'recipient_num_type' });
    }
  }

  const channel = isUuid(input.channel_id) ? await findChannelSpec(deps.prisma, input.channel_id, deps.keyring) : null;
  if (!channel) {
    throw new AppError('UNKNOWN_CHANNEL', `channel_id ${JSON.stringify(input.channel_id)} names no channel`, { field: 'channel_id' });
  }
  if (richContent) checkKindOnChannel(richContent.kind as ContentKind, channel, 'message.kind');
  else checkContentOnChannel(input.content_type as ContentType, channel.kind);
  checkMessageTag(input.message_tag, channel.kind);
  // The provider is asked last, once every local check has passed, and before the transaction:
  // a slow or failing lookup holds no connection and leaves nothing written.
  const template = await resolveCampaignTemplate(deps.providers, channel, { ...input, msgParam: content.msgParam });
  if (input.recipient_type === 'input') checkInlineVariables(template.requiredVariables, input.number_list ?? []);

  const launchedAt = plan.status === 'running' ? now : null;
  const client = await deps.pool.connect();
  let created: CreatedCampaign;
  try {
    await client.query('BEGIN');
    if (input.recipient_type === 'phonebook' && !(await phonebookExists(client, input.recipient_id!))) {
      throw new AppError('UNKNOWN_PHONEBOOK', `recipient_id ${input.recipient_id} names no phonebook`, { field: 'recipient_id' });
    }
    const { rows } = await client.query<{ id: string }>(INSERT_CAMPAIGN_SQL, [
      input.channel_id,
      input.name,
      input.recipient_type,
      input.recipient_type === 'phonebook' ? String(input.recipient_id) : null,
      input.recipient_type === 'phonebook' ? input.recipient_num_type : null,
      input.content_type,
      content.content,
      template.msgParam === null ? null : JSON.stringify(template.msgParam),
      plan.sendType,
      plan.sendTime,
      input.send_mode ?? null,
      input.assign_to_type ?? null,
      input.assign_to_id ?? null,
      plan.status,
      inline?.rows.length ?? 0,
      launchedAt,
      expiresAt,
      input.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
      input.max_retry_seconds ?? DEFAULT_MAX_RETRY_SECONDS,
      input.message_tag ?? null,
      richContent === null ? null : JSON.stringify(richContent),
    ]);
    const id = rows[0]!.id;
    if (inline) {
      await insertRecipients(client, id, inline.rows);
      created = { id, status: plan.status, recipient_count: inline.rows.length, duplicates_removed: inline.duplicatesRemoved };
    } else {
      const resolved = await resolvePhonebookRecipients(client, id, input.recipient_id!, input.recipient_num_type!);
      if (resolved.inserted === 0) {
        throw new AppError('NO_RECIPIENTS', `phonebook ${input.recipient_id} has no contact with a valid ${input.recipient_num_type}`, {
          field: 'recipient_id',
          details: { skipped_contacts_total: resolved.skippedTotal },
        });
      }
      await checkLedgerVariables(client, id, template.requiredVariables);
      await client.query('UPDATE campaigns SET recipient_count = $2 WHERE id = $1', [id, resolved.inserted]);
      created = {
        id,
        status: plan.status,
        recipient_count: resolved.inserted,
        duplicates_removed: resolved.duplicatesRemoved,
        skipped_contacts: resolved.skipped,
        skipped_contacts_total: resolved.skippedTotal,
      };
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }

  deps.log.info({ campaignId: created.id, status: created.status, recipients: created.recipient_count }, 'campaign created');
  if (plan.status === 'running') {
    await launchAfterCommit(deps, created.id, { now });
  } else if (plan.status === 'scheduled') {
    await launchAfterCommit(deps, created.id, { at: plan.sendTime!, now });
  }
  return created;
}
