import { checkMessageInput, type MessageInput } from '../../../src/messages/message-input.js';
import { receiptsOf } from '../../../src/messages/message-view.js';
import { isSessionRecipient, sessionRecipient } from '../../../src/policy/session-recipient.js';

const base: MessageInput = { channel_id: 'c', to: '+1 (415) 555-0101', content_type: 'text', content: 'Hi' };

function fieldOf(input: MessageInput): string | undefined {
  try {
    checkMessageInput(input);
  } catch (err) {
    return (err as { field?: string }).field;
  }
  return undefined;
}

describe('checkMessageInput', () => {
  it('normalises the number and generates a request id when none is given', () => {
    const checked = checkMessageInput(base);
    expect(checked).toMatchObject({ number: '+14155550101', sessionId: null, contentType: 'text', content: 'Hi', msgParam: null, richContent: null });
    expect(checked.requestId).toMatch(/^gen-[0-9a-f-]{36}$/);
  });

  it('records a session send without `to` under its session', () => {
    const checked = checkMessageInput({ ...base, to: undefined, session_id: 3077, request_id: 'r1' });
    expect(checked).toMatchObject({ number: 'session:3077', sessionId: '3077', requestId: 'r1' });
    expect(isSessionRecipient(checked.number)).toBe(true);
    expect(isSessionRecipient('+14155550101')).toBe(false);
    expect(sessionRecipient('1')).toBe('session:1');
  });

  it('takes a File_Info as an object', () => {
    const file = { uri: '20250725/abc', name: 'demo.jpeg' };
    expect(checkMessageInput({ ...base, content_type: 'document', content: file }).content).toBe(JSON.stringify(file));
  });

  it('keeps a msg_param beside an interactive message as its fallback', () => {
    const checked = checkMessageInput({
      ...base,
      content_type: 'interactive',
      content: undefined,
      message: { kind: 'product', catalogId: 'c', productRetailerId: 's' },
      msg_param: '{"name":"t","language":{"code":"en"}}',
    });
    expect(checked).toMatchObject({ content: null, richContent: { kind: 'product' }, msgParam: { name: 't' } });
  });

  it.each<[string, Partial<MessageInput>, string]>([
    ['no recipient', { to: undefined }, 'to'],
    ['a number without country code', { to: '415 555 0101' }, 'to'],
    ['a session id that is not one', { session_id: 'abc' }, 'session_id'],
    ['a request id over 127 characters', { request_id: 'x'.repeat(128) }, 'request_id'],
    ['text without content', { content: '' }, 'content'],
    ['interactive without a message', { content_type: 'interactive' }, 'message'],
    ['a rich message of no rich kind', { content_type: 'interactive', message: { kind: 'text' } }, 'message.kind'],
    ['a list without rows', { content_type: 'interactive', message: { kind: 'list', button: { text: 'b' }, sections: [{ rows: [] }] } }, 'message.sections[0].rows'],
    ['a list row without text', { content_type: 'interactive', message: { kind: 'list', button: { text: 'b' }, sections: [{ rows: [{ id: '1' }] }] } }, 'message.sections[0].rows[0].text'],
  ])('refuses %s, naming the field', (_name, over, field) => {
    expect(fieldOf({ ...base, ...over })).toBe(field);
  });
});

describe('receiptsOf', () => {
  it('lists what happened, oldest first', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    expect(receiptsOf({ sentAt: at(1), deliveredAt: at(3), readAt: null, failedAt: null })).toEqual([
      { status: 'sent', at: at(1).toISOString() },
      { status: 'delivered', at: at(3).toISOString() },
    ]);
  });
});
