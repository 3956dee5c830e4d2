import { AppError, type ErrorCode } from '../errors/index.js';
import type { ProviderErrorClass, ProviderName } from './types.js';

const CODE_FOR_CLASS: Record<ProviderErrorClass, ErrorCode> = {
  retryable: 'PROVIDER_RETRYABLE',
  permanent: 'PROVIDER_PERMANENT',
  window_closed: 'PROVIDER_WINDOW_CLOSED',
  auth: 'PROVIDER_AUTH',
  rate_limited: 'PROVIDER_RATE_LIMITED',
};

/**
 * A failed provider call, classified at the client's boundary. `providerCode` and
 * `providerMessage` are the provider's own (Yeastar errcode/errmsg or send_error, Connectly
 * code/message, or the HTTP status / network error code) and go to the ledger unchanged.
 */
export class ProviderError extends AppError {
  readonly provider: ProviderName;
  readonly errorClass: ProviderErrorClass;
  readonly providerCode: string;
  readonly providerMessage: string;
  /** How long the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number;
  /** The HTTP status, when there was an answer. */
  readonly httpStatus_?: number;
  /** The recipient opted out with the provider (Connectly CUSTOMER_OPTED_OUT): add them to suppressions. */
  readonly optedOut: boolean;
  /** The sender hit a provider-side limit (Connectly BUSINESS_REACHED_LIMITS): pause the channel. */
  readonly pauseSender: boolean;
  /**
   * Nothing of the request was written: it was stopped before it reached the wire (a missed write
   * deadline, src/providers/write-deadline.ts). The provider cannot have seen it.
   */
  readonly notSent: boolean;

  constructor(args: {
    provider: ProviderName;
    errorClass: ProviderErrorClass;
    providerCode: string;
    providerMessage: string;
    retryAfterMs?: number;
    httpStatus?: number;
    cause?: unknown;
    optedOut?: boolean;
    pauseSender?: boolean;
    notSent?: boolean;
    /** The request field the provider blamed (Yeastar invalid_param_list), when it named one. */
    field?: string;
  }) {
    super(CODE_FOR_CLASS[args.errorClass], `${args.provider}: ${args.providerCode} ${args.providerMessage}`.trim(), {
      cause: args.cause,
      field: args.field,
      retryable: args.errorClass === 'retryable' || args.errorClass === 'rate_limited',
    });
    this.name = 'ProviderError';
    this.provider = args.provider;
    this.errorClass = args.errorClass;
    this.providerCode = args.providerCode;
    this.providerMessage = args.providerMessage;
    this.retryAfterMs = args.retryAfterMs;
    this.httpStatus_ = args.httpStatus;
    this.optedOut = args.optedOut ?? false;
    this.pauseSender = args.pauseSender ?? false;
    this.notSent = args.notSent ?? false;
  }
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}
