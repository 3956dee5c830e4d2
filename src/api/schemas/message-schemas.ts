/**
 * One-off message requests and answers (POST/GET /v1/messages). Field names follow seed 000's
 * message/send (`to`, `session_id`, `tag`, `request_id`) and our campaigns (`content_type`,
 * `content`, `msg_param`, `template_name`, `message`).
 */
import { Type } from 'typebox';
import { RECIPIENT_STATUSES } from '../../campaigns/campaign-view.js';
import { REQUEST_ID_MAX_LENGTH } from '../../messages/message-input.js';
import { Nullable, Timestamp } from './common-schemas.js';
import { RichMessage, SettingsFields } from './campaign-schemas.js';

export const CreateMessageBody = Type.Object({
  channel_id: Type.String({ description: 'One of our channels (POST /v1/channels).' }),
  to: Type.Optional(Type.String({ maxLength: 64, description: 'The recipient’s number with its country code. Optional with session_id.' })),
  session_id: Type.Optional(
    Type.Union([Type.String({ maxLength: 16 }), Type.Integer({ minimum: 1 })], {
      description: 'Yeastar only: send in this existing message session (seed 000) instead of starting one.',
    }),
  ),
  request_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: REQUEST_ID_MAX_LENGTH,
      description: 'Your id for this request (≤127 characters, unique per channel). The same request_id again answers the original message and sends nothing. Generated when left out.',
    }),
  ),
  content_type: Type.Enum(['text', 'document', 'template', 'interactive']),
  content: Type.Optional(
    Type.Union([Type.String(), Type.Object({ uri: Type.String({ minLength: 1 }) })], {
      description: 'The text (text), or one File_Info (document: on Yeastar from POST /v1/channels/:id/files; on Connectly a public URL as uri), as an object or a JSON string.',
    }),
  ),
  msg_param: Type.Optional(
    Type.Union([Type.String(), Type.Object({})], {
      description: 'The WhatsApp template message (content_type template), or, beside other content, the template sent when the 24-hour window is closed.',
    }),
  ),
  template_name: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Instead of msg_param (Yeastar WhatsApp): an approved template’s name.' })),
  template_language: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  template_header_file: Type.Optional(Type.Union([Type.String(), Type.Object({ uri: Type.String({ minLength: 1 }) })])),
  message: Type.Optional(RichMessage),
  variables: Type.Optional(
    Type.Record(Type.String(), Type.String(), { description: 'Values for {{name}} placeholders in the text, the template parameters and the rich message.' }),
  ),
  tag: Type.Optional(SettingsFields.message_tag),
  expires_at: Type.Optional(SettingsFields.expires_at),
  max_attempts: Type.Optional(SettingsFields.max_attempts),
  max_retry_seconds: Type.Optional(SettingsFields.max_retry_seconds),
});

export const AcceptedMessageBody = Type.Object({
  id: Type.String({ description: 'The message id (GET /v1/messages/:id).' }),
  status: Type.String({ description: 'pending for a new message; for a replayed request_id, where the original stands now.' }),
  request_id: Type.String(),
  replayed: Type.Boolean({ description: 'True when this request_id had been accepted before: this is the original message, nothing new is sent.' }),
});

const Status = Type.Enum(RECIPIENT_STATUSES);
const SentContent = Nullable(
  Type.Enum(['session', 'template'], { description: 'Which content went out: the message itself (session) or the fallback template.' }),
);

export const MessageSummaryBody = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  request_id: Nullable(Type.String()),
  to: Nullable(Type.String()),
  session_id: Nullable(Type.String()),
  content_type: Type.String(),
  status: Status,
  sent_content: SentContent,
  reason: Nullable(Type.String({ description: 'window_closed: the window was closed, so the template went; or why it ended unsent.' })),
  created_at: Type.String({ format: 'date-time' }),
  sent_at: Timestamp,
});

export const MessageBody = Type.Object({
  ...MessageSummaryBody.properties,
  content: Nullable(Type.String()),
  msg_param: Type.Unknown(),
  message: Type.Unknown(),
  variables: Type.Unknown(),
  tag: Nullable(Type.String()),
  attempts: Type.Integer(),
  provider_message_id: Nullable(Type.String({ description: 'Yeastar msg_id or Connectly id.' })),
  last_error_code: Nullable(Type.String()),
  last_error_message: Nullable(Type.String()),
  receipts: Type.Array(Type.Object({ status: Type.String(), at: Type.String({ format: 'date-time' }) }), {
    description: 'Sent, then what delivery webhooks reported (delivered, read, failed), oldest first.',
  }),
  expires_at: Nullable(Type.Integer()),
  updated_at: Type.String({ format: 'date-time' }),
  delivered_at: Timestamp,
  read_at: Timestamp,
  failed_at: Timestamp,
});

export const MessageListQuery = Type.Object({
  channel_id: Type.Optional(Type.String({ description: 'Only this channel’s messages.' })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const MessagePageBody = Type.Object({ items: Type.Array(MessageSummaryBody), next_cursor: Nullable(Type.String()) });
