/**
 * Yeastar P-Series classification tables: what each answer means for the send.
 * Sources: notes/providers.md and https://help.yeastar.com/en/p-series/developer-guide/response-result.html
 * Items marked UNVERIFIED were not confirmed in Yeastar's own documentation; change them here.
 */
import type { HttpAnswer } from '../http-client.js';
import { classifyHttpStatus } from '../http-status.js';
import { findMetaError } from '../meta-errors.js';
import { isRecord, shortText } from '../answer-utils.js';
import { ProviderError } from '../provider-error.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ProviderErrorClass } from '../types.js';

interface Rule {
  errorClass: ProviderErrorClass;
  optedOut?: boolean;
  pauseSender?: boolean;
}

/** errcode → class. Anything not listed is permanent, keeping Yeastar's code and message. */
export const YEASTAR_ERRCODE_TABLE: Readonly<Record<number, Rule>> = {
  // Documented generic FAILURE. On get_token it means bad credentials (handled by the token
  // manager as auth); on message/send it says nothing more, so the queue's bounded retries decide.
  // UNVERIFIED that a send-side -1 is ever transient.
  [-1]: { errorClass: 'retryable' },
  40002: { errorClass: 'permanent' }, // PARAMETER ERROR, with invalid_param_list naming the field
  // DUPLICATE KEY VALUE. UNVERIFIED whether message/send answers it for a reused request_id (which
  // would mean an earlier attempt was accepted); treated as permanent so it is never resent.
  40003: { errorClass: 'permanent' },
  // TOKEN EXPIRED (UNVERIFIED code, answered with HTTP 200). The client refreshes the token and
  // retries once before this class ever surfaces.
  10004: { errorClass: 'auth' },
};

/**
 * `send_error` values (event 30032, and — our assumption, UNVERIFIED — a synchronous message/send
 * failure when the PBX reports one) → class.
 */
export const YEASTAR_SEND_ERROR_TABLE: Readonly<Record<string, Rule>> = {
  too_many_request: { errorClass: 'rate_limited' },
  service_unavailable: { errorClass: 'retryable' },
  service_error: { errorClass: 'retryable' },
  request_fail: { errorClass: 'retryable' },
  unknown_error: { errorClass: 'retryable' },
  invalid_param: { errorClass: 'permanent' },
  invalid_phone_number: { errorClass: 'permanent' },
  invalid_did_number: { errorClass: 'permanent' },
  template_not_exist: { errorClass: 'permanent' },
  msg_exceed: { errorClass: 'permanent' },
  exceeds_size_limit: { errorClass: 'permanent' },
  unsupport_media_type: { errorClass: 'permanent' },
  // The channel's own credentials at the carrier/Meta failed: nothing per-recipient about it.
  auth_fail: { errorClass: 'auth', pauseSender: true },
  exceeds_time_limit: { errorClass: 'window_closed' }, // UNVERIFIED: the 24-hour window is closed
};

/** True when an answer says our access token is no longer valid (refresh and retry once). */
export function isTokenExpired(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if (body.errcode === 10004) return true;
  return typeof body.errmsg === 'string' && body.errmsg.toUpperCase().includes('TOKEN EXPIRED');
}

/**
 * Classifies a `send_error` / `send_error_msg` pair (also used for webhook event 30032).
 * `send_fail` defers to the Meta code inside `send_error_msg`, when there is one.
 */
export function classifySendError(sendError: string, sendErrorMsg = ''): Rule {
  if (sendError === 'send_fail') {
    const meta = findMetaError(sendErrorMsg);
    return meta ? meta.rule : { errorClass: 'permanent' };
  }
  return YEASTAR_SEND_ERROR_TABLE[sendError] ?? { errorClass: 'permanent' };
}

/**
 * Turns any non-success Yeastar answer into a ProviderError. Order: transport-level statuses
 * (429, 5xx, 401/403) first, then `send_error` when present, then `errcode`.
 */
export function classifyYeastarFailure(answer: HttpAnswer, now: number): ProviderError {
  const { status, body } = answer;
  const byStatus = classifyHttpStatus(status);
  if (byStatus) {
    const env = isRecord(body) ? body : {};
    return new ProviderError({
      provider: 'yeastar',
      errorClass: byStatus,
      providerCode: env.errcode !== undefined ? String(env.errcode) : `HTTP_${status}`,
      providerMessage: typeof env.errmsg === 'string' ? env.errmsg : shortText(body),
      retryAfterMs: byStatus === 'rate_limited' ? parseRetryAfter(answer.headers['retry-after'], now) : undefined,
      httpStatus: status,
    });
  }
  if (!isRecord(body) || typeof body.errcode !== 'number') {
    // 2xx without an envelope: we cannot tell whether the PBX took the message; the idempotency
    // key makes another attempt safe. Other statuses without an envelope are a wrong URL or proxy.
    const ok = status >= 200 && status < 300;
    return new ProviderError({
      provider: 'yeastar',
      errorClass: ok ? 'retryable' : 'permanent',
      providerCode: ok ? 'BAD_ANSWER' : `HTTP_${status}`,
      providerMessage: shortText(body),
      httpStatus: status,
    });
  }
  const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
  if (typeof body.send_error === 'string' && body.send_error !== '') {
    const sendErrorMsg = typeof body.send_error_msg === 'string' ? body.send_error_msg : '';
    const rule = classifySendError(body.send_error, sendErrorMsg);
    return new ProviderError({
      provider: 'yeastar',
      ...rule,
      providerCode: body.send_error,
      providerMessage: sendErrorMsg || errmsg,
      httpStatus: status,
    });
  }
  const rule = YEASTAR_ERRCODE_TABLE[body.errcode] ?? { errorClass: 'permanent' as const };
  const field = firstInvalidField(body.invalid_param_list);
  return new ProviderError({
    provider: 'yeastar',
    ...rule,
    providerCode: String(body.errcode),
    providerMessage: field ? `${errmsg} (${field.field}: ${field.validation_type})` : errmsg,
    field: field?.field,
    httpStatus: status,
  });
}

function firstInvalidField(list: unknown): { field: string; validation_type: string } | undefined {
  if (!Array.isArray(list)) return undefined;
  const first: unknown = list[0];
  if (!isRecord(first) || typeof first.field !== 'string') return undefined;
  return { field: first.field, validation_type: typeof first.validation_type === 'string' ? first.validation_type : 'invalid' };
}
