/**
 * WhatsApp Cloud API (Meta) error codes, which surface behind both providers (Yeastar
 * `send_error_msg`, Connectly error details). Source: notes/providers.md, from
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */
import type { ProviderErrorClass } from './types.js';

export interface MetaErrorRule {
  errorClass: ProviderErrorClass;
  /** The recipient stopped marketing messages: suppress them. */
  optedOut?: boolean;
  /** The sending number or account must stop: pause the channel. */
  pauseSender?: boolean;
}

export const META_ERROR_TABLE: Readonly<Record<number, MetaErrorRule>> = {
  131047: { errorClass: 'window_closed' }, // re-engagement: more than 24 h since the user wrote
  130429: { errorClass: 'rate_limited' }, // throughput reached
  131056: { errorClass: 'rate_limited' }, // pair rate limit: too many to the same user
  1: { errorClass: 'retryable' },
  2: { errorClass: 'retryable' },
  131000: { errorClass: 'retryable' },
  131016: { errorClass: 'retryable' },
  131057: { errorClass: 'retryable' },
  131049: { errorClass: 'retryable' }, // Meta chose not to deliver now: defer
  131048: { errorClass: 'rate_limited', pauseSender: true }, // spam rate limit on the number
  131026: { errorClass: 'permanent' }, // undeliverable
  131050: { errorClass: 'permanent', optedOut: true }, // user stopped marketing messages
  130472: { errorClass: 'permanent' },
  131051: { errorClass: 'permanent' },
  131052: { errorClass: 'permanent' },
  131053: { errorClass: 'permanent' },
  132000: { errorClass: 'permanent' }, // template parameter count mismatch
  132001: { errorClass: 'permanent' }, // template does not exist
  368: { errorClass: 'auth', pauseSender: true }, // account restricted
  131031: { errorClass: 'auth', pauseSender: true }, // account locked
  131042: { errorClass: 'auth', pauseSender: true }, // payment problem
  190: { errorClass: 'auth' }, // access token expired at Meta
};

/**
 * Finds the first known Meta error code mentioned in a free-text message (e.g. Yeastar's
 * `send_error_msg`: "(#131047) Re-engagement message"), or undefined.
 */
export function findMetaError(text: string): { code: number; rule: MetaErrorRule } | undefined {
  for (const match of text.matchAll(/\d{1,6}/g)) {
    const code = Number(match[0]);
    const rule = META_ERROR_TABLE[code];
    // Codes 1 and 2 are too short to pick out of prose safely; only take them when alone.
    if (rule && (code > 2 || text.trim() === match[0])) return { code, rule };
  }
  return undefined;
}
