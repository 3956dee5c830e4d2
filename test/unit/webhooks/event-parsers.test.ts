import { parseConnectlyEvent } from '../../../src/webhooks/connectly-events.js';
import { eventTimeOr, parseEventTime } from '../../../src/webhooks/event-time.js';
import { toE164 } from '../../../src/webhooks/inbound-number.js';
import { WebhookPayloadError } from '../../../src/webhooks/webhook-events.js';
import { parseYeastarEvent } from '../../../src/webhooks/yeastar-events.js';

const now = new Date('2026-03-01T12:00:00Z');
const earlier = Math.floor(Date.parse('2026-03-01T11:00:00Z') / 1000);

describe('yeastar event reports', () => {
  it('reads 30031 as an inbound message, with msg as an object or a JSON string', () => {
    const msg = { session_id: 1, msg_id: 2, sender: { number: '14155552671' }, msg_body: 'STOP', receive_time: earlier };
    const expected = { type: 'inbound', number: '+14155552671', text: 'STOP', at: new Date(earlier * 1000) };
    expect(parseYeastarEvent({ type: 30031, sn: 'X', msg }, now)).toEqual(expected);
    expect(parseYeastarEvent({ type: '30031', sn: 'X', msg: JSON.stringify(msg) }, now)).toEqual(expected);
  });

  it('reads 30032 delivery_status 1 as a sent receipt and 2 as a classified failure', () => {
    expect(parseYeastarEvent({ type: 30032, sn: 'X', msg: { msg_id: 10273, delivery_status: 1, send_time: earlier } }, now)).toEqual({
      type: 'receipt',
      providerMessageId: '10273',
      status: 'sent',
      at: new Date(earlier * 1000),
    });
    const failed = parseYeastarEvent({ type: 30032, sn: 'X', msg: { msg_id: 7, delivery_status: 2, send_error: 'send_fail', send_error_msg: '(#131050) user stopped marketing' } }, now);
    expect(failed).toEqual({
      type: 'receipt',
      providerMessageId: '7',
      status: 'failed',
      at: now,
      failure: { code: 'send_fail', message: '(#131050) user stopped marketing', errorClass: 'permanent', optedOut: true },
    });
    const windowClosed = parseYeastarEvent({ type: 30032, sn: 'X', msg: { msg_id: 8, delivery_status: 2, send_error: 'exceeds_time_limit' } }, now);
    expect(windowClosed).toMatchObject({ failure: { code: 'exceeds_time_limit', errorClass: 'window_closed', optedOut: false } });
  });

  it('acknowledges "sending", bulk failures and other events without acting', () => {
    expect(parseYeastarEvent({ type: 30032, msg: { msg_id: 1, delivery_status: 0 } }, now)).toMatchObject({ type: 'ignored', reason: 'still_sending' });
    expect(parseYeastarEvent({ type: 30030, sn: 'X', msg: { task_id: 203, total: 2, fail_count: 2 } }, now)).toEqual({
      type: 'ignored',
      reason: 'bulk_failure',
      details: { task_id: 203, total: 2, fail_count: 2 },
    });
    expect(parseYeastarEvent({ type: 30035, msg: {} }, now)).toMatchObject({ type: 'ignored', reason: 'unhandled_event_type' });
    expect(parseYeastarEvent({ type: 30031, msg: { sender: { number: '1003' }, msg_body: 'hi' } }, now)).toMatchObject({
      type: 'ignored',
      reason: 'sender_not_a_phone_number',
    });
  });

  it('refuses bodies that are not envelopes', () => {
    for (const body of [[], 'x', { sn: 'X' }, { type: 30032, msg: 'not json' }, { type: 30032, msg: { delivery_status: 1 } }]) {
      expect(() => parseYeastarEvent(body, now)).toThrow(WebhookPayloadError);
    }
  });
});

describe('connectly webhooks', () => {
  const status = (s: string, extra: Record<string, unknown> = {}) => ({
    topic: 'delivery_status',
    timestamp: '2026-03-01T11:00:00Z',
    sender: { id: '+14151111234', channelType: 'whatsapp' },
    recipient: { id: '+16044441111', channelType: 'whatsapp' },
    statusUpdate: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', status: s, ...extra },
    metadata: {},
  });

  it('reads each delivery status', () => {
    for (const [s, expected] of [['sent', 'sent'], ['delivered', 'delivered'], ['read', 'read']] as const) {
      expect(parseConnectlyEvent(status(s), now)).toEqual({
        type: 'receipt',
        providerMessageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        status: expected,
        at: new Date('2026-03-01T11:00:00Z'),
      });
    }
    expect(parseConnectlyEvent(status('delivery_failed', { error: { code: 'ERROR_CODE_CUSTOMER_OPTED_OUT', message: 'opted out' } }), now)).toMatchObject({
      status: 'failed',
      failure: { code: 'ERROR_CODE_CUSTOMER_OPTED_OUT', message: 'opted out', errorClass: 'permanent', optedOut: true },
    });
    expect(parseConnectlyEvent(status('delivery_failed', { error: 'Message undeliverable (131026)' }), now)).toMatchObject({
      failure: { code: 'DELIVERY_FAILED', message: 'Message undeliverable (131026)', errorClass: 'permanent', optedOut: false },
    });
  });

  it('reads inbound messages, with or without the topic, and ignores echoes', () => {
    const inbound = { timestamp: 1772362800, sender: { id: '+16044441111', channelType: 'whatsapp' }, recipient: { id: '+14151111234' }, message: { text: 'start' } };
    const expected = { type: 'inbound', number: '+16044441111', text: 'start', at: new Date(1772362800 * 1000) };
    expect(parseConnectlyEvent(inbound, now)).toEqual(expected);
    expect(parseConnectlyEvent({ ...inbound, topic: 'messages' }, now)).toEqual(expected);
    expect(parseConnectlyEvent({ ...inbound, message: { attachments: [] } }, now)).toEqual({ type: 'inbound', number: '+16044441111', at: expected.at });
    expect(parseConnectlyEvent({ ...inbound, message: { text: 'x', isEcho: true } }, now)).toMatchObject({ type: 'ignored', reason: 'echo' });
  });

  it('refuses a receipt without an id and acknowledges unknown topics', () => {
    expect(() => parseConnectlyEvent({ topic: 'delivery_status', statusUpdate: { status: 'read' } }, now)).toThrow(WebhookPayloadError);
    expect(parseConnectlyEvent({ topic: 'templates' }, now)).toMatchObject({ type: 'ignored', reason: 'unhandled_topic' });
    expect(parseConnectlyEvent(status('queued'), now)).toMatchObject({ type: 'ignored', reason: 'unknown_delivery_status' });
  });
});

describe('event times and numbers', () => {
  it('reads seconds, milliseconds, digit strings, ISO and zone-less date-times', () => {
    const ms = Date.parse('2026-03-01T11:00:00Z');
    expect(parseEventTime(ms / 1000)?.getTime()).toBe(ms);
    expect(parseEventTime(ms)?.getTime()).toBe(ms);
    expect(parseEventTime(String(ms / 1000))?.getTime()).toBe(ms);
    expect(parseEventTime('2026-03-01T11:00:00.000Z')?.getTime()).toBe(ms);
    expect(parseEventTime('2026-03-01 11:00:00')?.getTime()).toBe(ms);
    expect(parseEventTime('yesterday')).toBeUndefined();
    expect(parseEventTime(0)).toBeUndefined();
  });

  it('falls back to now, and clamps times from the future', () => {
    expect(eventTimeOr(now, undefined, 'nonsense')).toBe(now);
    expect(eventTimeOr(now, now.getTime() + 3_600_000)).toBe(now);
    expect(eventTimeOr(now, now.getTime() + 1_000).getTime()).toBe(now.getTime() + 1_000);
  });

  it('normalises sender numbers to E.164', () => {
    expect(toE164('+1 (415) 555-2671')).toBe('+14155552671');
    expect(toE164('14155552671')).toBe('+14155552671');
    expect(toE164('0044 20 7946 0958')).toBe('+442079460958');
    expect(toE164('+15550199')).toBe('+15550199'); // test ranges are kept as written
    expect(toE164('1003')).toBeUndefined();
    expect(toE164('page-123')).toBeUndefined();
    expect(toE164(undefined)).toBeUndefined();
  });
});
