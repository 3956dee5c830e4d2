/**
 * message/send request validation per seed 000. A failure is answered as the PBX does:
 * `{errcode: 40002, errmsg: "PARAMETER ERROR", invalid_param_list: [{field, validation_type}]}`.
 */
import { isRecord } from '../../src/providers/answer-utils.js';

export interface InvalidParam {
  field: string;
  validation_type: string;
}

/** Documented Facebook message tags (Messenger rules in notes/providers.md). */
const FACEBOOK_TAGS = new Set(['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE', 'HUMAN_AGENT']);

/** The first problem with a message/send body, or undefined when it is acceptable. */
export function validateYeastarSend(body: unknown, sessionExists: (id: number) => boolean): InvalidParam | undefined {
  if (!isRecord(body)) return { field: 'body', validation_type: 'required' };
  if (!Number.isInteger(body.sender_type)) return invalid('sender_type', body.sender_type === undefined ? 'required' : 'type');
  if (body.sender_type === 1 && !nonEmpty(body.sender_no)) return invalid('sender_no', 'required');
  if (body.session_id !== undefined) {
    if (!Number.isInteger(body.session_id) || !sessionExists(body.session_id as number)) return invalid('session_id', 'invalid');
  } else {
    // Starting a session: channel, did_number and to are all required.
    for (const field of ['channel', 'did_number', 'to'] as const) {
      if (!nonEmpty(body[field])) return invalid(field, 'required');
    }
    if (!/^\+?[1-9]\d{4,14}$/.test(body.to as string)) return invalid('to', 'format');
  }
  const kind = body.msg_kind ?? 0;
  if (kind !== 0 && kind !== 1) return invalid('msg_kind', 'enum');
  if (body.msg_type !== undefined && !Number.isInteger(body.msg_type)) return invalid('msg_type', 'type');
  if (kind === 0) {
    const hasBody = nonEmpty(body.msg_body);
    if (body.files !== undefined) {
      if (!Array.isArray(body.files) || body.files.length !== 1) return invalid('files', 'length');
      const file: unknown = body.files[0];
      if (!isRecord(file) || !nonEmpty(file.uri)) return invalid('files[0].uri', 'required');
    } else if (!hasBody) {
      return invalid('msg_body', 'required');
    }
    if (body.msg_body !== undefined && typeof body.msg_body !== 'string') return invalid('msg_body', 'type');
  } else {
    if (!nonEmpty(body.whatsapp_msg_param)) return invalid('whatsapp_msg_param', 'required');
    if (body.channel !== undefined && body.channel !== 'whatsapp') return invalid('msg_kind', 'channel');
    let template: unknown;
    try {
      template = JSON.parse(body.whatsapp_msg_param as string);
    } catch {
      return invalid('whatsapp_msg_param', 'json');
    }
    if (!isRecord(template) || !nonEmpty(template.name)) return invalid('whatsapp_msg_param.name', 'required');
    if (!isRecord(template.language) || !nonEmpty(template.language.code)) return invalid('whatsapp_msg_param.language.code', 'required');
  }
  if (body.tag !== undefined && !(typeof body.tag === 'string' && FACEBOOK_TAGS.has(body.tag))) return invalid('tag', 'enum');
  if (body.request_id !== undefined) {
    if (typeof body.request_id !== 'string') return invalid('request_id', 'type');
    if (body.request_id.length > 127) return invalid('request_id', 'max_length');
  }
  return undefined;
}

function invalid(field: string, validation_type: string): InvalidParam {
  return { field, validation_type };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
