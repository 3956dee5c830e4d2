/**
 * message/send request bodies (seed 000), built as pure data so contract tests can compare them
 * with the seed's examples field for field without any HTTP.
 *
 * Two modes, as the page describes:
 * - new session (the default for campaign sends, the first message of a conversation from the
 *   PBX's point of view): `channel`, `did_number` and `to`;
 * - existing session (`message.sessionId`): `session_id` only — the session already names the
 *   channel, DID and recipient, and the page's examples send none of them.
 */
import { assertContentSupported } from '../capabilities.js';
import { ProviderError } from '../provider-error.js';
import type { FileInfo, OutboundMessage } from '../types.js';
import type { YeastarSendDefaults } from './settings.js';

/** msg_kind: 0 normal message (text or one file), 1 WhatsApp template. */
export const MSG_KIND_NORMAL = 0;
export const MSG_KIND_TEMPLATE = 1;
/** msg_type 0 as in every seed example (the value list is empty in the page). */
export const MSG_TYPE_DEFAULT = 0;
/** Yeastar rejects longer `request_id`s. */
export const MAX_REQUEST_ID_LENGTH = 127;

export interface YeastarSendRequest {
  sender_type: number;
  sender_no?: string;
  session_id?: number;
  channel?: string;
  did_number?: string;
  to?: string;
  msg_kind: number;
  msg_type?: number;
  msg_body?: string;
  files?: FileInfo[];
  /** The template message object as a JSON string. */
  whatsapp_msg_param?: string;
  tag?: string;
  request_id?: string;
}

/**
 * Builds the message/send body for one outbound message.
 * Throws a permanent ProviderError (before anything is sent) when the idempotency key cannot be
 * a `request_id`, the session id is not a PBX session id, or the content kind is one message/send
 * cannot carry (CONTENT_NOT_SUPPORTED: location, list, buttons, products, attachment by URL).
 */
export function buildYeastarSendRequest(defaults: YeastarSendDefaults, message: OutboundMessage): YeastarSendRequest {
  assertContentSupported('yeastar', message.content.kind);
  if (message.idempotencyKey.length > MAX_REQUEST_ID_LENGTH) {
    throw new ProviderError({
      provider: 'yeastar',
      errorClass: 'permanent',
      providerCode: 'REQUEST_ID_TOO_LONG',
      providerMessage: `idempotency key is ${message.idempotencyKey.length} characters; request_id allows ${MAX_REQUEST_ID_LENGTH}`,
      field: 'request_id',
    });
  }
  const body: YeastarSendRequest = {
    sender_type: defaults.senderType,
    ...(defaults.senderNo === undefined ? {} : { sender_no: defaults.senderNo }),
    ...(message.sessionId === undefined
      ? { channel: defaults.channelType, did_number: defaults.didNumber, to: message.to }
      : { session_id: sessionIdOf(message.sessionId) }),
    msg_kind: MSG_KIND_NORMAL,
    msg_type: MSG_TYPE_DEFAULT,
  };
  const content = message.content;
  switch (content.kind) {
    case 'text':
      body.msg_body = content.text;
      break;
    case 'document':
      body.files = [content.file];
      if (content.caption !== undefined && content.caption !== '') body.msg_body = content.caption;
      break;
    case 'template':
      body.msg_kind = MSG_KIND_TEMPLATE;
      body.whatsapp_msg_param = JSON.stringify(content.template);
      break;
    default:
      // assertContentSupported has refused every other kind already.
      throw new Error(`unreachable: content kind ${content.kind}`);
  }
  if (message.tag !== undefined) body.tag = message.tag;
  body.request_id = message.idempotencyKey;
  return body;
}

/** Seed 000's `session_id` is an Integer; ours travel as strings (SendResult.sessionId). */
function sessionIdOf(sessionId: string): number {
  if (!/^[1-9]\d{0,15}$/.test(sessionId)) {
    throw new ProviderError({
      provider: 'yeastar',
      errorClass: 'permanent',
      providerCode: 'SESSION_ID_INVALID',
      providerMessage: `session id "${sessionId}" is not a PBX session id (a positive integer)`,
      field: 'session_id',
    });
  }
  return Number(sessionId);
}
