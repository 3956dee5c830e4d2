/**
 * Yeastar P-Series event reports → webhook events. Envelope `{type, sn, msg}`; `msg` is an object
 * in the documentation's examples, but a JSON string is accepted too (UNVERIFIED which the PBX
 * sends for message events; both cost nothing to accept).
 *
 * - 30031 new inbound message → inbound (sender's number, msg_body).
 * - 30032 sending result of a message we sent: delivery_status 0 sending (ignored), 1 sent
 *   successfully → a `sent` receipt (the PBX handed it on; not handset delivery — see
 *   receipt-transition.ts), 2 failed → a `failed` receipt with send_error / send_error_msg,
 *   classified by the same table as synchronous failures (classifySendError).
 * - 30030 bulk message sending failed: reports `{task_id, total, fail_count}` of a PBX message
 *   campaign (message_campaign/create). It names no messages, and we send with message/send, not PBX
 *   campaigns, so it is logged and acknowledged only.
 * Pure: the current time is an argument.
 */
import { isRecord } from '../providers/answer-utils.js';
import { classifySendError } from '../providers/yeastar/errors.js';
import { eventTimeOr } from './event-time.js';
import { toE164 } from './inbound-number.js';
import { WebhookPayloadError, type WebhookEvent } from './webhook-events.js';

export const YEASTAR_EVENT = { BULK_FAILED: 30030, INBOUND: 30031, SENDING_RESULT: 30032 } as const;

/** The webhook event a Yeastar report stands for. Throws WebhookPayloadError for a non-envelope. */
export function parseYeastarEvent(body: unknown, now: Date): WebhookEvent {
  if (!isRecord(body)) throw new WebhookPayloadError('the body must be a JSON object {type, sn, msg}');
  const type = typeof body.type === 'string' && /^\d+$/.test(body.type) ? Number(body.type) : body.type;
  if (typeof type !== 'number') throw new WebhookPayloadError('`type` must be the event id');
  const msg = readMsg(body.msg);
  switch (type) {
    case YEASTAR_EVENT.INBOUND:
      return inbound(msg, now);
    case YEASTAR_EVENT.SENDING_RESULT:
      return sendingResult(msg, now);
    case YEASTAR_EVENT.BULK_FAILED:
      return { type: 'ignored', reason: 'bulk_failure', details: { task_id: msg.task_id, total: msg.total, fail_count: msg.fail_count } };
    default:
      return { type: 'ignored', reason: 'unhandled_event_type', details: { eventType: type } };
  }
}

function readMsg(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (isRecord(raw)) return raw;
  if (typeof raw === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new WebhookPayloadError('`msg` is a string but not JSON');
    }
    if (isRecord(parsed)) return parsed;
  }
  throw new WebhookPayloadError('`msg` must be an object or a JSON object string');
}

function inbound(msg: Record<string, unknown>, now: Date): WebhookEvent {
  const raw = senderNumber(msg.sender) ?? msg.from;
  const number = toE164(raw);
  if (!number) return { type: 'ignored', reason: 'sender_not_a_phone_number', details: { sender: raw } };
  const at = eventTimeOr(now, msg.receive_time, msg.send_time);
  return typeof msg.msg_body === 'string' ? { type: 'inbound', number, text: msg.msg_body, at } : { type: 'inbound', number, at };
}

/**
 * The documentation types `sender` as Object<Sender_Info> without listing its fields (UNVERIFIED):
 * we take the first phone-like field among the likely names, or `sender` itself when it is text.
 */
function senderNumber(sender: unknown): unknown {
  if (typeof sender === 'string' || typeof sender === 'number') return sender;
  if (!isRecord(sender)) return undefined;
  for (const key of ['number', 'phone_number', 'sender_no', 'sender_id', 'id', 'from']) {
    if (typeof sender[key] === 'string' || typeof sender[key] === 'number') return sender[key];
  }
  return undefined;
}

function sendingResult(msg: Record<string, unknown>, now: Date): WebhookEvent {
  const id = msg.msg_id;
  if (typeof id !== 'number' && (typeof id !== 'string' || id === '')) throw new WebhookPayloadError('30032 without msg_id');
  const providerMessageId = String(id);
  const at = eventTimeOr(now, msg.receive_time, msg.send_time);
  const status = Number(msg.delivery_status);
  if (status === 1) return { type: 'receipt', providerMessageId, status: 'sent', at };
  if (status === 2) {
    const code = typeof msg.send_error === 'string' && msg.send_error !== '' ? msg.send_error : 'send_fail';
    const message = typeof msg.send_error_msg === 'string' ? msg.send_error_msg : '';
    const rule = classifySendError(code, message);
    return {
      type: 'receipt',
      providerMessageId,
      status: 'failed',
      // A failed message's send_time is when it was attempted; the failure is known now.
      at: now,
      failure: { code, message, errorClass: rule.errorClass, optedOut: rule.optedOut ?? false },
    };
  }
  return { type: 'ignored', reason: status === 0 ? 'still_sending' : 'unknown_delivery_status', details: { providerMessageId, delivery_status: msg.delivery_status } };
}
