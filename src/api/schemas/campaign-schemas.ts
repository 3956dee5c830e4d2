/**
 * Campaign requests and answers: seed 001's fields, with `channel_id` (one of our channels) in
 * place of the PBX's channel_type/omnichannel_id/sender.
 */
import { Type, type Static } from 'typebox';
import { RECIPIENT_NUM_TYPES } from '../../campaigns/phonebook-recipients.js';
import { RECIPIENT_STATUSES } from '../../campaigns/campaign-view.js';
import { MAX_ATTEMPTS_LIMITS, MAX_RETRY_SECONDS_LIMITS, MESSAGE_TAGS } from '../../campaigns/lifecycle/campaign-settings.js';
import { RICH_KINDS } from '../../policy/render-content.js';
import { MAX_UNIX_SECONDS, Nullable, Timestamp } from './common-schemas.js';
import { ProgressProperties } from './progress-schemas.js';

/** The delivery settings a campaign takes on create, PATCH and (expires_at) resend. */
export const SettingsFields = {
  expires_at: Type.Integer({
    minimum: 0,
    maximum: MAX_UNIX_SECONDS,
    description: 'Unix seconds. Recipients not sent by then end expired instead of going out late. After now, and after send_time for a scheduled campaign.',
  }),
  max_attempts: Type.Integer({ ...MAX_ATTEMPTS_LIMITS, description: 'Most send attempts per recipient (default 8).' }),
  max_retry_seconds: Type.Integer({
    ...MAX_RETRY_SECONDS_LIMITS,
    description: 'Most time one recipient may spend retrying, from its first attempt (default 3600, at most 7 days).',
  }),
  message_tag: Type.Enum([...MESSAGE_TAGS], { description: 'Messenger message tag for sends outside the 24-hour window; facebook channels only.' }),
};

/**
 * The rich message object, taken loosely here and checked per kind in src/campaigns/rich-content.ts
 * (so an error names the exact field). Its shapes mirror src/providers/message-content.ts.
 */
export const RichMessage = Type.Object(
  { kind: Type.Enum([...RICH_KINDS]) },
  {
    additionalProperties: true,
    description:
      'A seed 002 rich message, one kind per message: ' +
      '`{kind:"attachment", attachment:{type:image|video|audio|document, url, caption?, filename?}}`; ' +
      '`{kind:"location", latitude, longitude, name?, address?}`; ' +
      '`{kind:"list", header?:{text?|attachment?}, footer?, button:{id?, text}, sections:[{title?, rows:[{id, text, description?}]}]}`; ' +
      '`{kind:"reply_buttons", text, header?, footer?, buttons:[{id, text}] (1-3)}`; ' +
      '`{kind:"product", catalogId, productRetailerId, footer?}`; ' +
      '`{kind:"multi_product", header?, footer?, catalogId, sections:[{title?, productItems:[{productRetailerId}]}]}`. ' +
      'Connectly WhatsApp channels send every kind; Connectly SMS/Messenger only attachments; Yeastar none (send files with content_type document). ' +
      '{{variable}} placeholders in its strings are filled from the variables.',
  },
);

export const NumberListEntry = Type.Object({
  number: Type.String({ description: 'The phone number with its country code: +8613800001111, 0086 138-0000-1111, +1 (202) 555-0101.' }),
  variables: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Values for this recipient’s template placeholders.' })),
});

export const CreateCampaignBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 500 }),
  channel_id: Type.String({ description: 'The id of one of our channels (POST /v1/channels).' }),
  recipient_type: Type.Enum(['input', 'phonebook']),
  number_list: Type.Optional(
    Type.Array(NumberListEntry, { description: 'The recipients, for recipient_type input. At most MAX_INLINE_RECIPIENTS (default 50,000).' }),
  ),
  recipient_id: Type.Optional(Type.Integer({ minimum: 1, description: 'The phonebook, for recipient_type phonebook.' })),
  recipient_num_type: Type.Optional(Type.Enum(RECIPIENT_NUM_TYPES, { description: 'Which contact number to use; required for phonebook.' })),
  content_type: Type.Enum(['text', 'document', 'template', 'interactive'], {
    description: 'interactive: a rich message (`message`), sent as is to every recipient with its {{variables}} filled per recipient.',
  }),
  message: Type.Optional(RichMessage),
  content: Type.Optional(
    Type.String({
      description:
        'The text (text), or a File_Info JSON string with a uri (document): on Yeastar the File_Info that POST /v1/channels/:id/files answered (uploaded once, sent by reference); on Connectly a File_Info whose uri is a public https URL the provider fetches.',
    }),
  ),
  msg_param: Type.Optional(
    Type.Union([Type.String(), Type.Object({})], {
      description: 'The WhatsApp template message (name, language.code, components…), as a JSON string as in seed 001, or an object.',
    }),
  ),
  template_name: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 512,
      description:
        "Instead of msg_param (Yeastar WhatsApp channels): the exact name of an approved template (GET /v1/channels/:id/templates). Its msg_param is built for you; each recipient's variables fill its placeholders (NAMED: by name; POSITIONAL: \"1\", \"2\", … across header then body), and every recipient must carry them all.",
    }),
  ),
  template_language: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'With template_name: the template language (en, en_US…); default the first listed.' })),
  template_header_file: Type.Optional(
    Type.Union([Type.String(), Type.Object({ uri: Type.String({ minLength: 1 }) })], {
      description: 'With template_name, for a template with an IMAGE/VIDEO/DOCUMENT header: the File_Info from POST /v1/channels/:id/files.',
    }),
  ),
  send_type: Type.Enum(['immediately', 'schedule', 'scheduled', 'draft'], { description: '"scheduled" is read as "schedule".' }),
  send_time: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_UNIX_SECONDS, description: 'Unix seconds; required, and in the future, for schedule.' })),
  send_mode: Type.Optional(Type.String()),
  assign_to_type: Type.Optional(Type.String()),
  assign_to_id: Type.Optional(Type.Integer()),
  expires_at: Type.Optional(SettingsFields.expires_at),
  max_attempts: Type.Optional(SettingsFields.max_attempts),
  max_retry_seconds: Type.Optional(SettingsFields.max_retry_seconds),
  message_tag: Type.Optional(SettingsFields.message_tag),
});

export type CreateCampaignBody = Static<typeof CreateCampaignBody>;

export const CreatedCampaignBody = Type.Object({
  id: Type.String(),
  status: Type.Enum(['running', 'scheduled', 'draft']),
  recipient_count: Type.Integer(),
  duplicates_removed: Type.Integer({ description: 'Entries dropped because an earlier one had the same number (after normalisation).' }),
  skipped_contacts: Type.Optional(
    Type.Array(Type.Object({ contact_id: Type.String(), reason: Type.Enum(['missing_number', 'invalid_number']) }), {
      description: 'Phonebook campaigns: contacts not in the ledger, and why (at most 1,000 listed).',
    }),
  ),
  skipped_contacts_total: Type.Optional(Type.Integer({ description: 'Phonebook campaigns: how many contacts were skipped in all.' })),
});

export const LaunchedCampaignBody = Type.Object({
  id: Type.String(),
  status: Type.Literal('running'),
  launched_at: Type.String({ format: 'date-time' }),
});

export const Counts = Type.Object(Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, Type.Integer()])), {
  description: 'Recipients per status; every status is present.',
});

export const CampaignBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  channel_id: Type.String(),
  recipient_type: Type.String(),
  recipient_id: Nullable(Type.String()),
  recipient_num_type: Nullable(Type.String()),
  content_type: Type.String(),
  content: Nullable(Type.String()),
  msg_param: Type.Unknown(),
  message: Type.Optional(Type.Unknown()),
  send_type: Type.String(),
  send_time: Nullable(Type.Integer()),
  send_mode: Nullable(Type.String()),
  assign_to_type: Nullable(Type.String()),
  assign_to_id: Nullable(Type.Integer()),
  status: Type.String(),
  failure_reason: Nullable(Type.String()),
  recipient_count: Type.Integer(),
  counts: Counts,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  launched_at: Timestamp,
  started_at: Timestamp,
  finished_at: Timestamp,
  fan_out_completed_at: Timestamp,
  // Rate, ETA and reasons (src/api/schemas/progress-schemas.ts), from GET /v1/campaigns/:id.
  ...ProgressProperties,
  // The lifecycle columns (src/campaigns/lifecycle/lifecycle-fields.ts); optional until every
  // answer that uses this schema includes them.
  expires_at: Type.Optional(Nullable(Type.Integer({ description: 'Unix seconds.' }))),
  max_attempts: Type.Optional(Type.Integer()),
  max_retry_seconds: Type.Optional(Type.Integer()),
  message_tag: Type.Optional(Nullable(Type.String())),
  paused_at: Type.Optional(Timestamp),
  cancelled_at: Type.Optional(Timestamp),
  source_campaign_id: Type.Optional(Nullable(Type.String())),
});

export const RecipientsQuery = Type.Object({
  status: Type.Optional(Type.Enum(RECIPIENT_STATUSES)),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const RecipientBody = Type.Object({
  id: Type.String(),
  number: Type.String(),
  variables: Type.Unknown(),
  status: Type.String(),
  attempts: Type.Integer(),
  provider_message_id: Nullable(Type.String()),
  last_error_code: Nullable(Type.String()),
  last_error_message: Nullable(Type.String()),
  sent_content: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  sent_at: Timestamp,
  delivered_at: Timestamp,
  read_at: Timestamp,
  failed_at: Timestamp,
});

export const RecipientPageBody = Type.Object({
  items: Type.Array(RecipientBody),
  next_cursor: Nullable(Type.String()),
});
