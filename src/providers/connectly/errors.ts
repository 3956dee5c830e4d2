/**
 * Connectly classification table (https://docs.connectly.ai/messaging/error-codes, via
 * notes/providers.md). Codes are looked up without their `ERROR_CODE_` prefix, because the notes
 * spell them both ways (UNVERIFIED which spelling the API uses for each).
 *
 * `type: ERROR_TYPE_DEADLINE_EXCEEDED` accompanies the window-closed code: it is Connectly's
 * category for "too late to send a session message", not a timeout, and is never retried as one.
 */
import type { HttpAnswer } from '../http-client.js';
import { classifyHttpStatus } from '../http-status.js';
import { shortText } from '../answer-utils.js';
import { ProviderError } from '../provider-error.js';
import { parseRetryAfter } from '../retry-after.js';
import type { ProviderErrorClass } from '../types.js';
import { parseConnectlyError } from './response-parser.js';

interface Rule {
  errorClass: ProviderErrorClass;
  optedOut?: boolean;
  pauseSender?: boolean;
}

export const CONNECTLY_ERROR_TABLE: Readonly<Record<string, Rule>> = {
  // Window closed: send a template instead.
  MESSAGE_OUTSIDE_OF_ELIGIBILITY_WINDOW: { errorClass: 'window_closed' },
  MESSAGE_CUSTOMER_NO_CONVERSATION_INITIATION: { errorClass: 'window_closed' },
  // The message can never go out as it is.
  INVALID_SENDER_ID: { errorClass: 'permanent' },
  PHONE_NUMBER_BAD_FORMAT: { errorClass: 'permanent' },
  MESSAGE_PHONE_NUMBER_INVALID: { errorClass: 'permanent' },
  TEMPLATE_NOT_FOUND: { errorClass: 'permanent' },
  TEMPLATE_INPUT_INVALID: { errorClass: 'permanent' },
  TEXT_EMPTY: { errorClass: 'permanent' },
  // The customer opted out: permanent, and the recipient goes on the suppression list.
  CUSTOMER_OPTED_OUT: { errorClass: 'permanent', optedOut: true },
  MESSAGE_CUSTOMER_OPTED_OUT: { errorClass: 'permanent', optedOut: true }, // UNVERIFIED spelling
  // The business hit its messaging limit: nothing wrong with the message; pause the sender and
  // let the queue try again later.
  BUSINESS_REACHED_LIMITS: { errorClass: 'rate_limited', pauseSender: true },
};

/** Every ATTACHMENT_* code is permanent (bad URL, type, size). */
const PREFIX_RULES: readonly [string, Rule][] = [['ATTACHMENT_', { errorClass: 'permanent' }]];

/** The rule for a Connectly error code, or undefined when the table does not know it. */
export function connectlyRule(code: string): Rule | undefined {
  const bare = code.replace(/^ERROR_CODE_/, '');
  return CONNECTLY_ERROR_TABLE[bare] ?? PREFIX_RULES.find(([prefix]) => bare.startsWith(prefix))?.[1];
}

/**
 * Turns a non-success Connectly answer into a ProviderError. A known code decides first (so a
 * 400 window-closed is window_closed); then the status (429 → rate_limited with Retry-After, 5xx →
 * retryable, 401/403 → auth); anything else is permanent with the code and message kept.
 */
export function classifyConnectlyFailure(answer: HttpAnswer, now: number): ProviderError {
  const { status } = answer;
  const error = parseConnectlyError(answer.body);
  const rule = error ? connectlyRule(error.code) : undefined;
  const byStatus = classifyHttpStatus(status);
  const errorClass: ProviderErrorClass = rule?.errorClass ?? byStatus ?? (status >= 200 && status < 300 ? 'retryable' : 'permanent');
  return new ProviderError({
    provider: 'connectly',
    errorClass,
    providerCode: error?.code ?? (status >= 200 && status < 300 ? 'BAD_ANSWER' : `HTTP_${status}`),
    providerMessage: error ? error.message : shortText(answer.body),
    retryAfterMs: errorClass === 'rate_limited' ? parseRetryAfter(answer.headers['retry-after'], now) : undefined,
    httpStatus: status,
    optedOut: rule?.optedOut,
    pauseSender: rule?.pauseSender,
  });
}
