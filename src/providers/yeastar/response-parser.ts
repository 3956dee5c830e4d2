/**
 * Readers for Yeastar's success answers. Every answer is an envelope `{errcode, errmsg, ...}`;
 * `errcode 0` is success whatever the HTTP status says.
 */
import { isRecord } from '../answer-utils.js';
import type { FileInfo, SendResult } from '../types.js';

export interface YeastarEnvelope {
  errcode: number;
  errmsg: string;
  [key: string]: unknown;
}

/** The envelope when `body` is one, else undefined. */
export function readEnvelope(body: unknown): YeastarEnvelope | undefined {
  if (!isRecord(body) || typeof body.errcode !== 'number') return undefined;
  return { ...body, errcode: body.errcode, errmsg: typeof body.errmsg === 'string' ? body.errmsg : '' };
}

export function isSuccess(body: unknown): boolean {
  return isRecord(body) && body.errcode === 0;
}

/**
 * message/send success → SendResult. The message id is `msg_id`; one seed example answers `id`
 * instead (its URL is message_campaign/create, likely a documentation slip), so `id` is accepted
 * as a fallback. Returns undefined when neither is there.
 */
export function parseSendSuccess(body: unknown): SendResult | undefined {
  if (!isRecord(body) || body.errcode !== 0) return undefined;
  const id = body.msg_id ?? body.id;
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  const session = body.session_id;
  return {
    providerMessageId: String(id),
    ...(typeof session === 'number' || typeof session === 'string' ? { sessionId: String(session) } : {}),
  };
}

/** An access/refresh token pair with absolute expiry times (ms since epoch). */
export interface TokenPair {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

/** Documented lifetimes, used when an answer leaves the *_expire_time fields out. */
export const DEFAULT_ACCESS_TTL_SECONDS = 1800;
export const DEFAULT_REFRESH_TTL_SECONDS = 86_400;

/** get_token / refresh_token success → TokenPair, or undefined when the answer is not one. */
export function parseTokenAnswer(body: unknown, now: number): TokenPair | undefined {
  if (!isRecord(body) || body.errcode !== 0) return undefined;
  const { access_token, refresh_token } = body;
  if (typeof access_token !== 'string' || access_token === '' || typeof refresh_token !== 'string') return undefined;
  const accessTtl = typeof body.access_token_expire_time === 'number' ? body.access_token_expire_time : DEFAULT_ACCESS_TTL_SECONDS;
  const refreshTtl = typeof body.refresh_token_expire_time === 'number' ? body.refresh_token_expire_time : DEFAULT_REFRESH_TTL_SECONDS;
  return {
    accessToken: access_token,
    accessExpiresAt: now + accessTtl * 1000,
    refreshToken: refresh_token,
    refreshExpiresAt: now + refreshTtl * 1000,
  };
}

/** message/batchupload success → the uploaded files, ready to be sent as `files`. */
export function parseUploadAnswer(body: unknown): FileInfo[] | undefined {
  if (!isRecord(body) || body.errcode !== 0 || !Array.isArray(body.list)) return undefined;
  const files: FileInfo[] = [];
  for (const item of body.list as unknown[]) {
    if (!isRecord(item) || typeof item.uri !== 'string') return undefined;
    files.push({
      uri: item.uri,
      ...(typeof item.id === 'string' ? { id: item.id } : {}),
      ...(typeof item.name === 'string' ? { name: item.name } : {}),
      ...(typeof item.type === 'string' ? { type: item.type } : {}),
      ...(typeof item.size === 'number' ? { size: item.size } : {}),
    });
  }
  return files;
}

/** One entry of GET message_channel/whatsapp_template. */
export interface YeastarTemplateInfo {
  id: number;
  template_id: string;
  name: string;
  parameter_format: 'POSITIONAL' | 'NAMED';
  language: string;
  category?: string;
  sub_category?: string;
  /** The template's components as a JSON string (Meta's template definition). */
  components_data?: string;
  omnichannel_id?: number;
}

/** whatsapp_template success → `{ total, templates }`, or undefined when the answer is not one. */
export function parseTemplateList(body: unknown): { total: number; templates: YeastarTemplateInfo[] } | undefined {
  if (!isRecord(body) || body.errcode !== 0 || !Array.isArray(body.data)) return undefined;
  const templates = (body.data as unknown[]).filter(
    (t): t is YeastarTemplateInfo => isRecord(t) && typeof t.id === 'number' && typeof t.name === 'string',
  );
  const total = typeof body.total_number === 'number' ? body.total_number : templates.length;
  return { total, templates };
}
