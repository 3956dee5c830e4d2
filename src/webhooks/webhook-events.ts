/**
 * Terminology
 * - webhook: an HTTP POST a provider makes to us, signed with the channel's `webhookSecret`.
 * - inbound: a message a customer sent to one of our channels; it opens (or extends) the 24-hour
 *   conversation window and may be an opt-out / opt-in keyword.
 * - receipt: a provider's report on a message we sent (sent, delivered, read, failed), correlated
 *   with the ledger by the provider's message id.
 *
 * Each provider's parser turns its envelope into these provider-neutral events; everything after
 * the parser knows nothing of Yeastar or Connectly.
 */
import type { ProviderErrorClass } from '../providers/types.js';
import type { ReceiptStatus } from './receipt-transition.js';

export interface InboundEvent {
  type: 'inbound';
  /** The customer's number, E.164. */
  number: string;
  /** The message text, when it has one (attachments and button replies may not). */
  text?: string;
  at: Date;
}

export interface ReceiptFailure {
  /** The provider's code (Yeastar send_error, Connectly error code) → last_error_code. */
  code: string;
  message: string;
  errorClass: ProviderErrorClass;
  /** The recipient opted out at the provider or Meta: suppress them on this channel. */
  optedOut: boolean;
}

export interface ReceiptEvent {
  type: 'receipt';
  providerMessageId: string;
  status: ReceiptStatus;
  at: Date;
  failure?: ReceiptFailure;
}

/** An event we acknowledge and log but do not act on (unknown type, "sending", bulk report). */
export interface IgnoredEvent {
  type: 'ignored';
  reason: string;
  details?: Record<string, unknown>;
}

export type WebhookEvent = InboundEvent | ReceiptEvent | IgnoredEvent;

/** A body that verified but is not an envelope its provider sends: answered 400. */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}
