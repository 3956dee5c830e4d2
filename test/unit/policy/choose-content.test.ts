import { chooseContent, type ChooseContentInput } from '../../../src/policy/choose-content.js';

const now = new Date('2026-11-21T12:00:00Z');
const hoursAgo = (h: number): Date => new Date(now.getTime() - h * 3_600_000);
const template = { name: 'order_update', language: { code: 'en' }, parameter_format: 'NAMED', components: [{ type: 'BODY', parameters: [{ type: 'TEXT', parameter_name: 'name', text: 'x' }] }] };

function input(over: Partial<ChooseContentInput> & { msgParam?: unknown; messageTag?: string | null; contentType?: 'text' | 'template' }): ChooseContentInput {
  return {
    channelKind: over.channelKind ?? 'whatsapp',
    campaign: { contentType: over.contentType ?? 'text', content: 'Hi {{name}}', msgParam: over.msgParam ?? null, messageTag: over.messageTag ?? null },
    variables: { name: 'Ann' },
    lastInboundAt: over.lastInboundAt ?? null,
    sessionRejected: over.sessionRejected ?? false,
    ...(over.inProviderSession !== undefined ? { inProviderSession: over.inProviderSession } : {}),
    now,
  };
}

describe('chooseContent', () => {
  it('sends the session content inside the 24-hour window', () => {
    expect(chooseContent(input({ lastInboundAt: hoursAgo(23.9), msgParam: template }))).toMatchObject({
      action: 'send', sentContent: 'session', reason: null, keySuffix: '', content: { kind: 'text', text: 'Hi Ann' },
    });
  });

  it('falls back to the filled template with its own key outside the window', () => {
    const choice = chooseContent(input({ lastInboundAt: hoursAgo(24), msgParam: template }));
    expect(choice).toMatchObject({ action: 'send', sentContent: 'template', reason: 'window_closed', keySuffix: '-t' });
    expect(choice.action === 'send' && choice.content.kind === 'template' && choice.content.template.components?.[0]?.parameters?.[0]?.text).toBe('Ann');
  });

  it('skips, with a reason, when the window is closed and there is no template', () => {
    expect(chooseContent(input({}))).toEqual({ action: 'skip', reason: 'window_closed_no_template' });
  });

  it('stays on the template once the session content was refused', () => {
    expect(chooseContent(input({ lastInboundAt: hoursAgo(1), msgParam: template, sessionRejected: true }))).toMatchObject({ sentContent: 'template', keySuffix: '-t' });
  });

  it('always sends a template campaign as a template, with the plain key', () => {
    expect(chooseContent(input({ contentType: 'template', msgParam: template }))).toMatchObject({ sentContent: 'template', reason: null, keySuffix: '' });
  });

  it('tags Messenger messages outside the window, and skips them without a tag', () => {
    expect(chooseContent(input({ channelKind: 'facebook', messageTag: 'ACCOUNT_UPDATE' }))).toMatchObject({ action: 'send', sentContent: 'session', tag: 'ACCOUNT_UPDATE' });
    expect(chooseContent(input({ channelKind: 'facebook' }))).toEqual({ action: 'skip', reason: 'window_closed_no_tag' });
    const inside = chooseContent(input({ channelKind: 'facebook', messageTag: 'ACCOUNT_UPDATE', lastInboundAt: hoursAgo(2) }));
    expect(inside.action === 'send' && inside.tag).toBeFalsy();
  });

  it('ignores windows on SMS', () => {
    expect(chooseContent(input({ channelKind: 'sms' }))).toMatchObject({ action: 'send', sentContent: 'session' });
  });

  it('in a provider session (no number to look the window up by): sends the session content, falls back once refused', () => {
    expect(chooseContent(input({ inProviderSession: true, msgParam: template }))).toMatchObject({ sentContent: 'session', reason: null });
    expect(chooseContent(input({ inProviderSession: true, msgParam: template, sessionRejected: true }))).toMatchObject({ sentContent: 'template', reason: 'window_closed' });
    expect(chooseContent(input({ inProviderSession: true, channelKind: 'facebook', sessionRejected: true }))).toEqual({ action: 'skip', reason: 'window_closed_no_tag' });
  });

  it('applies the same rules to interactive content', () => {
    const campaign = { contentType: 'interactive' as const, content: null, msgParam: template, richContent: { kind: 'location', latitude: 1, longitude: 2 }, messageTag: null };
    const base = { channelKind: 'whatsapp' as const, campaign, variables: { name: 'Ann' }, sessionRejected: false, now };
    expect(chooseContent({ ...base, lastInboundAt: hoursAgo(1) })).toMatchObject({ sentContent: 'session', content: { kind: 'location' } });
    expect(chooseContent({ ...base, lastInboundAt: null })).toMatchObject({ sentContent: 'template', reason: 'window_closed', keySuffix: '-t' });
  });
});
