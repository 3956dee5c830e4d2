import { checkContent, checkContentOnChannel } from '../../../src/campaigns/campaign-content.js';
import { planSend } from '../../../src/campaigns/send-schedule.js';
import { AppError } from '../../../src/errors/index.js';

function failure(fn: () => unknown): { code: string; field?: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, field: err.field };
    throw err;
  }
  throw new Error('expected a failure');
}

const template = { name: 'discount_campaign', language: { code: 'en' }, components: [] };

describe('checkContent', () => {
  test('text needs content; document needs a File_Info string with a uri; template needs name and language', () => {
    expect(checkContent({ content_type: 'text', content: 'hi' })).toEqual({ content: 'hi', msgParam: null });
    const file = JSON.stringify({ uri: '20250725/x', name: 'demo.jpeg' });
    expect(checkContent({ content_type: 'document', content: file })).toEqual({ content: file, msgParam: null });
    expect(checkContent({ content_type: 'template', msg_param: JSON.stringify(template) })).toEqual({ content: null, msgParam: template });
    expect(checkContent({ content_type: 'template', msg_param: template }).msgParam).toEqual(template);
  });

  test.each([
    [{ content_type: 'text' }, 'CONTENT_REQUIRED', 'content'],
    [{ content_type: 'text', content: '   ' }, 'CONTENT_REQUIRED', 'content'],
    [{ content_type: 'document', content: 'not json' }, 'CONTENT_REQUIRED', 'content'],
    [{ content_type: 'document', content: '{"uri":""}' }, 'CONTENT_REQUIRED', 'content'],
    [{ content_type: 'template' }, 'CONTENT_REQUIRED', 'msg_param'],
    [{ content_type: 'template', msg_param: '{"language":{"code":"en"}}' }, 'CONTENT_REQUIRED', 'msg_param.name'],
    [{ content_type: 'template', msg_param: { name: 't', language: 'en' } }, 'CONTENT_REQUIRED', 'msg_param.language.code'],
    [{ content_type: 'template', msg_param: '{broken' }, 'VALIDATION_FAILED', 'msg_param'],
    [{ content_type: 'template', msg_param: '[1]' }, 'VALIDATION_FAILED', 'msg_param'],
    [{ content_type: 'text', content: 'hi', msg_param: { language: { code: 'en' } } }, 'VALIDATION_FAILED', 'msg_param.name'],
  ] as const)('%j → %s on %s', (input, code, field) => {
    expect(failure(() => checkContent(input as never))).toEqual({ code, field });
  });

  test('templates only on whatsapp channels', () => {
    expect(() => checkContentOnChannel('template', 'whatsapp')).not.toThrow();
    expect(() => checkContentOnChannel('text', 'sms')).not.toThrow();
    expect(failure(() => checkContentOnChannel('template', 'sms'))).toEqual({ code: 'CONTENT_NOT_SUPPORTED', field: 'content_type' });
    expect(failure(() => checkContentOnChannel('template', 'facebook'))).toEqual({ code: 'CONTENT_NOT_SUPPORTED', field: 'content_type' });
  });
});

describe('planSend', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const nowS = now.getTime() / 1000;

  test('immediately runs, schedule (or "scheduled") waits for send_time, draft waits for a launch', () => {
    expect(planSend('immediately', undefined, now)).toEqual({ sendType: 'immediately', status: 'running', sendTime: null });
    expect(planSend('scheduled', nowS + 60, now)).toEqual({ sendType: 'schedule', status: 'scheduled', sendTime: new Date((nowS + 60) * 1000) });
    expect(planSend('draft', nowS - 60, now)).toEqual({ sendType: 'draft', status: 'draft', sendTime: new Date((nowS - 60) * 1000) });
  });

  test('schedule needs a send_time in the future', () => {
    expect(failure(() => planSend('schedule', undefined, now))).toEqual({ code: 'SEND_TIME_INVALID', field: 'send_time' });
    expect(failure(() => planSend('schedule', nowS, now))).toEqual({ code: 'SEND_TIME_INVALID', field: 'send_time' });
  });
});
