/**
 * Maps every error the API can meet to one answer shape, `{ error: { code, message, field? } }`,
 * with the HTTP status the code has in the registry:
 * - AppError: its own code, field and details;
 * - request validation (TypeBox via Fastify): VALIDATION_FAILED, field as a path (number_list[3].number);
 * - Fastify's body parsing: INVALID_JSON, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE;
 * - a value Postgres cannot store (SQLSTATE class 22, "data exception": a NUL character in text or
 *   JSON, a date or number out of range): VALIDATION_FAILED. Such a value came from the request —
 *   nothing we generate contains NUL or dates past year 9999 — and the statement failed as a whole,
 *   so nothing was written; a 500 would wrongly tell the client to retry the same body;
 * - anything else: INTERNAL, with no internals in the answer (the log has them, with the request id).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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
  // Router errors, raised before any route or hook runs (answered through answerFrameworkError).
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_ASYNC_CONSTRAINT: 'VALIDATION_FAILED',
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  URI_TOO_LONG: 'a path segment is too long',
  INVALID_JSON: 'the body is not valid JSON',
  UNSUPPORTED_MEDIA_TYPE: 'send the body as application/json',
  NOT_FOUND: 'no such route',
};

/** Prisma's codes for a value the column cannot take (too long, wrong type, invalid). */
const PRISMA_VALUE_CODES = new Set(['P2000', 'P2006', 'P2007', 'P2020', 'P2023']);

/**
 * True when `err` (or an error in its cause chain) is Postgres refusing a value: SQLSTATE 22xxx
 * from node-postgres (`code`) or through Prisma's driver adapter (`originalCode`), or Prisma's own
 * value codes.
 */
export function isUnstorableValue(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth += 1) {
    const { code, originalCode, severity, clientVersion } = e as { code?: unknown; originalCode?: unknown; severity?: unknown; clientVersion?: unknown };
    const sqlState = typeof originalCode === 'string' ? originalCode : typeof severity === 'string' && typeof code === 'string' ? code : undefined;
    if (sqlState !== undefined && /^22[0-9A-Z]{3}$/.test(sqlState)) return true;
    if (typeof clientVersion === 'string' && typeof code === 'string' && PRISMA_VALUE_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The answer for an error thrown while handling a request.
 * @param bodyLimit the configured limit, named in the 413 message.
 */
export function toErrorAnswer(err: unknown, context: { requestId: string; bodyLimit: number }): ErrorAnswer {
  if (isAppError(err)) return answer(err.code, err.message, { field: err.field, details: err.details });
  if (isUnstorableValue(err)) {
    return answer('VALIDATION_FAILED', 'a value in the request cannot be stored (a NUL character, or a date or number out of range)', {
      details: { reason: 'unstorable_value' },
    });
  }
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

/**
 * Fastify's `frameworkErrors` option: the router's own refusals (a malformed percent-encoding, an
 * over-long path parameter) would otherwise be written straight to the socket in Fastify's shape
 * (`{error, code: 'FST_ERR_…'}`), bypassing the error handler and our codes.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const answer = toErrorAnswer(err, { requestId: request.id, bodyLimit: 0 });
  void reply.code(answer.status).send(answer.body);
}
