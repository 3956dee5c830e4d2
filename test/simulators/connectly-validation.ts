/**
 * Request validation for the simulated Connectly endpoints (seed 002 and the templated-message
 * page). Failures use Connectly's error body `{message, type, code}`; codes the docs list are used
 * as listed, the rest (marked) are ours.
 */
import { isRecord } from '../../src/providers/answer-utils.js';
import { validateRichContent } from './connectly-rich-validation.js';
import type { SimAnswer } from './types.js';

const E164 = /^\+[1-9]\d{1,14}$/;
const ATTACHMENT_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** Content kinds of a session message; exactly one is allowed (text rides along with reply buttons). */
const CONTENT_KINDS = ['attachments', 'location', 'listMessage', 'replyButtonMessage', 'singleProductMessage', 'multiProductMessage'] as const;

export function connectlyError(status: number, code: string, message: string, type = 'ERROR_TYPE_INVALID_REQUEST'): SimAnswer {
  return { status, body: { message, type, code, userTitle: '', userMessage: message, cntTraceId: '', details: {} } };
}

/** The first problem with a send/messages body, or undefined. */
export function validateSessionMessage(body: unknown): SimAnswer | undefined {
  if (!isRecord(body)) return connectlyError(400, 'ERROR_CODE_INVALID_REQUEST', 'body must be a JSON object'); // our code
  const { recipient, sender, message } = body;
  if (!isRecord(recipient) || typeof recipient.id !== 'string' || typeof recipient.channelType !== 'string') {
    return connectlyError(400, 'ERROR_CODE_INVALID_REQUEST', 'recipient.id and recipient.channelType are required');
  }
  if (!E164.test(recipient.id)) return connectlyError(400, 'ERROR_CODE_PHONE_NUMBER_BAD_FORMAT', `bad recipient number ${recipient.id}`);
  if (sender !== undefined && (!isRecord(sender) || typeof sender.id !== 'string')) {
    return connectlyError(400, 'ERROR_CODE_INVALID_SENDER_ID', 'sender.id is required when sender is given');
  }
  if (!isRecord(message)) return connectlyError(400, 'ERROR_CODE_TEXT_EMPTY', 'message is required');
  const kinds: string[] = CONTENT_KINDS.filter((k) => message[k] !== undefined);
  const hasText = typeof message.text === 'string' && message.text !== '';
  if (hasText && message.replyButtonMessage === undefined) kinds.push('text');
  if (kinds.length === 0) return connectlyError(400, 'ERROR_CODE_TEXT_EMPTY', 'the message has no content');
  if (kinds.length > 1) {
    return connectlyError(400, 'ERROR_CODE_INVALID_REQUEST', `exactly one content kind per message, got ${kinds.join(', ')}`); // our code
  }
  if (message.attachments !== undefined) {
    const list = message.attachments;
    // "Currently, only a single attachment is supported."
    if (!Array.isArray(list) || list.length !== 1) return connectlyError(400, 'ERROR_CODE_ATTACHMENT_COUNT', 'exactly one attachment is supported'); // our code
    const a: unknown = list[0];
    if (!isRecord(a) || typeof a.url !== 'string' || !/^https?:\/\//.test(a.url)) {
      return connectlyError(400, 'ERROR_CODE_ATTACHMENT_URL_INVALID', 'attachment url must be http(s)'); // our code
    }
    if (typeof a.type !== 'string' || !ATTACHMENT_TYPES.has(a.type)) {
      return connectlyError(400, 'ERROR_CODE_ATTACHMENT_TYPE_INVALID', `unsupported attachment type ${String(a.type)}`); // our code
    }
  }
  return validateRichContent(message);
}

export interface ConnectlySimTemplate {
  name: string;
  language: string;
  /** Parameter names the template needs (all required, no others allowed). */
  parameters: string[];
}

/** Mirrors seed 000's discount_campaign as Connectly would name its parameters, plus two more. */
export const DEFAULT_CONNECTLY_TEMPLATES: readonly ConnectlySimTemplate[] = [
  { name: 'discount_campaign', language: 'en', parameters: ['header_image', 'customertier', 'offertype', 'offerdetails', 'expirydate', 'companyname'] },
  { name: 'order_update', language: 'en', parameters: ['body_1', 'body_2'] },
  { name: 'invoice_ready', language: 'en', parameters: ['header_document', 'body_1'] },
  { name: 'hello_world', language: 'en_US', parameters: [] },
];

/** The first problem with a whatsapp_templated_messages body, or undefined. */
export function validateTemplateMessage(body: unknown, templates: readonly ConnectlySimTemplate[]): SimAnswer | undefined {
  if (!isRecord(body)) return connectlyError(400, 'ERROR_CODE_INVALID_REQUEST', 'body must be a JSON object');
  if (typeof body.number !== 'string' || !E164.test(body.number)) {
    return connectlyError(400, 'ERROR_CODE_PHONE_NUMBER_BAD_FORMAT', `bad number ${String(body.number)}`);
  }
  if (typeof body.templateName !== 'string' || typeof body.language !== 'string') {
    return connectlyError(400, 'ERROR_CODE_TEMPLATE_INPUT_INVALID', 'templateName and language are required');
  }
  const template = templates.find((t) => t.name === body.templateName && t.language === body.language);
  if (!template) return connectlyError(400, 'ERROR_CODE_TEMPLATE_NOT_FOUND', `no template ${body.templateName} (${body.language})`);
  const params = body.parameters ?? [];
  if (!Array.isArray(params) || !params.every((p) => isRecord(p) && typeof p.name === 'string' && typeof p.value === 'string')) {
    return connectlyError(400, 'ERROR_CODE_TEMPLATE_INPUT_INVALID', 'parameters must be [{name, value}]');
  }
  const given = new Set(params.map((p) => (p as { name: string }).name));
  const missing = template.parameters.filter((n) => !given.has(n));
  const unknown = [...given].filter((n) => !template.parameters.includes(n));
  if (missing.length > 0 || unknown.length > 0 || given.size !== params.length) {
    return connectlyError(
      400,
      'ERROR_CODE_TEMPLATE_INPUT_INVALID',
      `template ${template.name} takes ${template.parameters.length} parameters (missing: ${missing.join(', ') || 'none'}; unknown: ${unknown.join(', ') || 'none'})`,
    );
  }
  return undefined;
}
