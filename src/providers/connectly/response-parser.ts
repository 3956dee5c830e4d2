/** Readers for Connectly's answers: `{id}` on success, `{message, type, code, ...}` on failure. */
import { isRecord } from '../answer-utils.js';
import type { SendResult } from '../types.js';

/** Both send endpoints answer `{"id": "..."}`. Undefined when the body is not that. */
export function parseConnectlySuccess(body: unknown): SendResult | undefined {
  if (!isRecord(body) || typeof body.id !== 'string' || body.id === '') return undefined;
  return { providerMessageId: body.id };
}

/** https://docs.connectly.ai/messaging/error-codes */
export interface ConnectlyErrorBody {
  message: string;
  type: string;
  code: string;
  userTitle?: string;
  userMessage?: string;
  cntTraceId?: string;
  details?: unknown;
}

/** The error body when `body` is one (a string `code` at least), else undefined. */
export function parseConnectlyError(body: unknown): ConnectlyErrorBody | undefined {
  if (!isRecord(body) || typeof body.code !== 'string') return undefined;
  return {
    ...body,
    code: body.code,
    message: typeof body.message === 'string' ? body.message : '',
    type: typeof body.type === 'string' ? body.type : '',
  } as ConnectlyErrorBody;
}
