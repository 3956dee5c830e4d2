/**
 * What each content_type needs (seed 001), checked before anything is written:
 * - text: a non-empty `content`;
 * - document: `content` is a File_Info JSON string (from Yeastar's batchupload) with a `uri`;
 * - template: `msg_param` (a JSON string, as in the seed, or an object) with `name` and
 *   `language.code`, or a `template_name` from which src/templates builds it after the channel is
 *   known; WhatsApp channels only.
 * A `msg_param` given with another content type is kept too: dispatch can fall back to that
 * template when the 24-hour window is closed.
 */
import { AppError } from '../errors/index.js';

export type ContentType = 'text' | 'document' | 'template';
export type ChannelKind = 'sms' | 'whatsapp' | 'facebook';

export interface ContentInput {
  content_type: ContentType;
  content?: string;
  msg_param?: string | object;
  /** A template named instead of a full msg_param: msg_param is then built later, not required here. */
  template_name?: string;
}

export interface CheckedContent {
  content: string | null;
  /** The parsed template message object, or null. */
  msgParam: Record<string, unknown> | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Parses msg_param and checks it names a template; `code` is the error raised when it does not. */
function parseMsgParam(raw: string | object, code: 'CONTENT_REQUIRED' | 'VALIDATION_FAILED'): Record<string, unknown> {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'msg_param must be a JSON object or a JSON-formatted string of one', { field: 'msg_param' });
    }
  }
  if (!isObject(value)) {
    throw new AppError('VALIDATION_FAILED', 'msg_param must be a JSON object or a JSON-formatted string of one', { field: 'msg_param' });
  }
  if (!nonEmptyString(value.name)) {
    throw new AppError(code, 'msg_param.name (the template name) is required', { field: 'msg_param.name' });
  }
  const language = value.language;
  if (!isObject(language) || !nonEmptyString(language.code)) {
    throw new AppError(code, 'msg_param.language.code (the template language) is required', { field: 'msg_param.language.code' });
  }
  return value;
}

/**
 * Checks the content a campaign carries against its content_type.
 * @throws AppError CONTENT_REQUIRED (with the field) or VALIDATION_FAILED for a malformed msg_param.
 */
export function checkContent(input: ContentInput): CheckedContent {
  const msgParamGiven = input.msg_param !== undefined && input.msg_param !== '';
  switch (input.content_type) {
    case 'text': {
      if (!nonEmptyString(input.content)) {
        throw new AppError('CONTENT_REQUIRED', 'content is required for content_type text', { field: 'content' });
      }
      return { content: input.content, msgParam: msgParamGiven ? parseMsgParam(input.msg_param!, 'VALIDATION_FAILED') : null };
    }
    case 'document': {
      if (!nonEmptyString(input.content)) {
        throw new AppError('CONTENT_REQUIRED', 'content (a File_Info JSON string) is required for content_type document', { field: 'content' });
      }
      let file: unknown;
      try {
        file = JSON.parse(input.content);
      } catch {
        file = undefined;
      }
      if (!isObject(file) || !nonEmptyString(file.uri)) {
        throw new AppError('CONTENT_REQUIRED', 'content must be a File_Info JSON string with a uri for content_type document', { field: 'content' });
      }
      return { content: input.content, msgParam: msgParamGiven ? parseMsgParam(input.msg_param!, 'VALIDATION_FAILED') : null };
    }
    case 'template': {
      if (!msgParamGiven && input.template_name !== undefined) {
        return { content: nonEmptyString(input.content) ? input.content : null, msgParam: null };
      }
      if (!msgParamGiven) {
        throw new AppError('CONTENT_REQUIRED', 'msg_param (or template_name) is required for content_type template', { field: 'msg_param' });
      }
      const content = nonEmptyString(input.content) ? input.content : null;
      return { content, msgParam: parseMsgParam(input.msg_param!, 'CONTENT_REQUIRED') };
    }
  }
}

/**
 * The optional window-closed fallback template of content that has no content_type of its own here
 * (interactive, and one-off messages): null when not given.
 * @throws AppError VALIDATION_FAILED (field msg_param…) for a malformed msg_param.
 */
export function checkFallbackTemplate(msgParam: string | object | undefined): Record<string, unknown> | null {
  return msgParam === undefined || msgParam === '' ? null : parseMsgParam(msgParam, 'VALIDATION_FAILED');
}

/**
 * Templates are a WhatsApp concept: SMS and Messenger channels cannot send them.
 * @throws AppError CONTENT_NOT_SUPPORTED
 */
export function checkContentOnChannel(contentType: ContentType, kind: ChannelKind): void {
  if (contentType === 'template' && kind !== 'whatsapp') {
    throw new AppError('CONTENT_NOT_SUPPORTED', `content_type template can only be sent on a whatsapp channel, this channel is ${kind}`, {
      field: 'content_type',
    });
  }
}
