/**
 * Maps every error the API can meet to one answer shape, `{ error: { code, message, field? } }`,
 * with the HTTP status the code has in the registry:
 * - AppError: its own code, field and details;
 * - request validation (TypeBox via Fastify): VALIDATION_FAILED, field as a path (number_list[3].number);
 * - Fastify's body parsing: INVALID_JSON, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE;
 * - anything else: INTERNAL, with no internals in the answer (the log has them, with the request id).
 */
import { ERROR_CODES, isAppError, type ErrorCode } from '../errors/index.js';
import { summariseSchemaErrors, type SchemaError } from './field-path.js';

export interface ErrorAnswer {
  status: number;
  body: { error: { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown> } };
  /** Whether this is our fault (logged as an error) rather than the client's. */
  unexpected: boolean;
}

function answer(code: ErrorCode, message: string, extra: { field?: string; details?: Record<string, unknown> } = {}, unexpected = false): ErrorAnswer {
  const error: ErrorAnswer['body']['error'] = { code, message };
  if (extra.field !== undefined) error.field = extra.field;
  if (extra.details !== undefined) error.details = extra.details;
  return { status: ERROR_CODES[code].status, body: { error }, unexpected };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: SchemaError[];
  validationContext?: string;
}

/** Fastify's own error codes that are the client's doing. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  INVALID_JSON: 'the body is not valid JSON',
  UNSUPPORTED_MEDIA_TYPE: 'send the body as application/json',
  NOT_FOUND: 'no such route',
};

/**
 * The answer for an error thrown while handling a request.
 * @param bodyLimit the configured limit, named in the 413 message.
 */
export function toErrorAnswer(err: unknown, context: { requestId: string; bodyLimit: number }): ErrorAnswer {
  if (isAppError(err)) return answer(err.code, err.message, { field: err.field, details: err.details });
  const e = (typeof err === 'object' && err !== null ? err : {}) as FastifyLikeError;
  if (Array.isArray(e.validation)) {
    const container = e.validationContext ?? 'body';
    const { field, message } = summariseSchemaErrors(e.validation, { container });
    return answer('VALIDATION_FAILED', message, field === undefined ? {} : { field });
  }
  const mapped = e.code === undefined ? undefined : FASTIFY_CODES[e.code];
  if (mapped === 'PAYLOAD_TOO_LARGE') {
    return answer(mapped, `the body is larger than ${context.bodyLimit} bytes`, { details: { limit: context.bodyLimit } });
  }
  if (mapped) return answer(mapped, MESSAGES[mapped] ?? e.message ?? ERROR_CODES[mapped].description);
  // Any other 4xx from Fastify or a plugin is still the client's: keep its message, not a 500.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return answer('VALIDATION_FAILED', e.message ?? 'the request is invalid');
  }
  return answer('INTERNAL', `internal error; quote request id ${context.requestId} when reporting it`, { details: { request_id: context.requestId } }, true);
}
