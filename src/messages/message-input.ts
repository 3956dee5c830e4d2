/**
 * A one-off message request (POST /v1/messages) checked before anything is written, in the
 * vocabulary of seed 000's message/send (`to`, `session_id`, `tag`, `request_id`) and of campaigns
 * (`content_type`, `content`, `msg_param`, `message`):
 * - exactly one recipient: `to` (any typed form with a country code, stored as E.164), or a Yeastar
 *   `session_id` (then `to` may be left out: the session names the recipient);
 * - the content its content_type needs: text; a File_Info (`document`: on Yeastar one uploaded
 *   with POST /v1/channels/:id/files, on Connectly a public URL as its uri); a template
 *   (`msg_param` or `template_name`); or a rich message (`interactive`, rich-content.ts). A
 *   `msg_param` beside session content is the template sent when the 24-hour window is closed;
 * - `variables` fill `{{name}}` in text, template parameters and the rich message's strings;
 * - `request_id` ≤ 127 characters (seed 000's rule): the idempotency key, unique per channel.
 * Pure; the channel-dependent checks are in create-message.ts.
 */
import { randomUUID } from 'node:crypto';
import { checkContent, checkFallbackTemplate, type CheckedContent } from '../campaigns/campaign-content.js';
import { describeNumberProblem, normalisePhoneNumber } from '../campaigns/phone-number.js';
import { checkRichMessage } from '../campaigns/rich-content.js';
import type { MessageTag } from '../campaigns/lifecycle/campaign-settings.js';
import { AppError } from '../errors/index.js';
import { sessionRecipient } from '../policy/session-recipient.js';

export const REQUEST_ID_MAX_LENGTH = 127;
export type MessageContentType = 'text' | 'document' | 'template' | 'interactive';

/** The body of POST /v1/messages after schema validation (src/api/schemas/message-schemas.ts). */
export interface MessageInput {
  channel_id: string;
  to?: string;
  session_id?: string | number;
  request_id?: string;
  content_type: MessageContentType;
  content?: string | object;
  msg_param?: string | object;
  template_name?: string;
  template_language?: string;
  template_header_file?: string | object;
  message?: object;
  variables?: Record<string, string>;
  tag?: MessageTag;
  expires_at?: number;
  max_attempts?: number;
  max_retry_seconds?: number;
}

export interface CheckedMessage extends CheckedContent {
  contentType: MessageContentType;
  richContent: Record<string, unknown> | null;
  /** The ledger number: E.164, or `session:<id>` for a session send without `to`. */
  number: string;
  sessionId: string | null;
  requestId: string;
}

/**
 * @throws AppError VALIDATION_FAILED (to, session_id, request_id, msg_param…, message…),
 *   INVALID_PHONE_NUMBER (to), CONTENT_REQUIRED (content, msg_param, message).
 */
export function checkMessageInput(input: MessageInput): CheckedMessage {
  const sessionId = input.session_id === undefined ? null : String(input.session_id);
  if (sessionId !== null && !/^[1-9]\d{0,15}$/.test(sessionId)) {
    throw new AppError('VALIDATION_FAILED', 'session_id must be a PBX session id (a positive integer)', { field: 'session_id' });
  }
  let number: string;
  if (input.to !== undefined) {
    const normalised = normalisePhoneNumber(input.to);
    if (!normalised.ok) throw new AppError('INVALID_PHONE_NUMBER', `to ${describeNumberProblem(normalised.reason)}`, { field: 'to' });
    number = normalised.e164;
  } else if (sessionId !== null) {
    number = sessionRecipient(sessionId);
  } else {
    throw new AppError('VALIDATION_FAILED', 'to (or, on a Yeastar channel, session_id) is required', { field: 'to' });
  }
  const requestId = input.request_id ?? `gen-${randomUUID()}`;
  if (requestId.length === 0 || requestId.length > REQUEST_ID_MAX_LENGTH) {
    throw new AppError('VALIDATION_FAILED', `request_id must be 1 to ${REQUEST_ID_MAX_LENGTH} characters`, { field: 'request_id' });
  }
  return { ...checkBody(input), contentType: input.content_type, number, sessionId, requestId };
}

function checkBody(input: MessageInput): CheckedContent & { richContent: Record<string, unknown> | null } {
  if (input.content_type === 'interactive') {
    return { content: null, msgParam: checkFallbackTemplate(input.msg_param), richContent: checkRichMessage(input.message) };
  }
  // A File_Info may come as an object here (campaigns take the JSON string of seed 001).
  const content = typeof input.content === 'object' && input.content !== null ? JSON.stringify(input.content) : input.content;
  return { ...checkContent({ ...input, content_type: input.content_type, content }), richContent: null };
}
