/**
 * Connectly webhooks → webhook events (notes/providers.md; https://docs.connectly.ai):
 * - topic `delivery_status`: `{timestamp, sender, recipient, statusUpdate: {id, status, error}}`,
 *   status sent | delivered | read | delivery_failed, `id` = the send answer's id.
 * - topic `messages` (inbound): `{timestamp, sender, recipient, message: {text | attachments | …}}`.
 *   `sender` is the customer. Echoes of our own messages (`message.isEcho`, seed 002's schema) are
 *   ignored: they are not the customer writing.
 * The topic may be absent from the body (the inbound example shows none), so the shape decides
 * when it is. `statusUpdate.error`'s shape is UNVERIFIED: an object with code/message, or text.
 * Pure: the current time is an argument.
 */
import { isRecord } from '../providers/answer-utils.js';
import { connectlyRule } from '../providers/connectly/errors.js';
import { findMetaError } from '../providers/meta-errors.js';
import type { ProviderErrorClass } from '../providers/types.js';
import { eventTimeOr } from './event-time.js';
import { toE164 } from './inbound-number.js';
import type { ReceiptStatus } from './receipt-transition.js';
import { WebhookPayloadError, type ReceiptFailure, type WebhookEvent } from './webhook-events.js';

const STATUS: Readonly<Record<string, ReceiptStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  delivery_failed: 'failed',
  failed: 'failed', // UNVERIFIED alias
};

/** The webhook event a Connectly delivery is. Throws WebhookPayloadError for a non-object body. */
export function parseConnectlyEvent(body: unknown, now: Date): WebhookEvent {
  if (!isRecord(body)) throw new WebhookPayloadError('the body must be a JSON object');
  const topic = typeof body.topic === 'string' ? body.topic : undefined;
  if (topic === 'delivery_status' || (topic === undefined && isRecord(body.statusUpdate))) return deliveryStatus(body, now);
  if (topic === 'messages' || (topic === undefined && isRecord(body.message))) return inbound(body, now);
  return { type: 'ignored', reason: 'unhandled_topic', details: { topic } };
}

function deliveryStatus(body: Record<string, unknown>, now: Date): WebhookEvent {
  const update = body.statusUpdate;
  if (!isRecord(update) || typeof update.id !== 'string' || update.id === '') {
    throw new WebhookPayloadError('delivery_status without statusUpdate.id');
  }
  const status = typeof update.status === 'string' ? STATUS[update.status.toLowerCase()] : undefined;
  if (!status) return { type: 'ignored', reason: 'unknown_delivery_status', details: { providerMessageId: update.id, status: update.status } };
  const at = eventTimeOr(now, body.timestamp);
  return status === 'failed'
    ? { type: 'receipt', providerMessageId: update.id, status, at, failure: failureOf(update.error) }
    : { type: 'receipt', providerMessageId: update.id, status, at };
}

function failureOf(error: unknown): ReceiptFailure {
  const e = isRecord(error) ? error : {};
  const code = firstString(e.code, e.errorCode, typeof e.type === 'string' ? e.type : undefined) ?? 'DELIVERY_FAILED';
  const message = firstString(e.message, e.userMessage, e.details, typeof error === 'string' ? error : undefined) ?? '';
  const rule = connectlyRule(code) ?? findMetaError(`${code} ${message}`)?.rule;
  const errorClass: ProviderErrorClass = rule?.errorClass ?? 'permanent';
  return { code, message, errorClass, optedOut: rule?.optedOut ?? false };
}

function inbound(body: Record<string, unknown>, now: Date): WebhookEvent {
  const message = isRecord(body.message) ? body.message : {};
  if (message.isEcho === true) return { type: 'ignored', reason: 'echo' };
  const sender = isRecord(body.sender) ? body.sender.id : body.sender;
  const number = toE164(sender);
  if (!number) return { type: 'ignored', reason: 'sender_not_a_phone_number', details: { sender } };
  const at = eventTimeOr(now, body.timestamp);
  return typeof message.text === 'string' ? { type: 'inbound', number, text: message.text, at } : { type: 'inbound', number, at };
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}
