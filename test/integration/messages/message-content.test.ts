/**
 * Every content kind of seeds 000 and 002 through POST /v1/messages, against the simulators: the
 * ledger (GET /v1/messages/:id) and what the simulator accepted. Plus the per-provider refusals:
 * a kind the channel's provider cannot send is a 400 naming the field, before anything is stored.
 */
import { jest } from '@jest/globals';
import { startConnectlySimulator, startYeastarSimulator, type ConnectlySimulator, type YeastarSimulator } from '../../simulators/index.js';
import { openWindow } from '../dispatch/fixtures.js';
import { createChannel, createE2e, type E2e } from '../providers-e2e/e2e-harness.js';
import { postMessage, sendMessage } from './message-helpers.js';

jest.setTimeout(120_000);

let e2e: E2e;
let yeastar: YeastarSimulator;
let connectly: ConnectlySimulator;
const ch = { ysms: '', yfb: '', ywa: '', cwa: '' };

beforeAll(async () => {
  e2e = await createE2e('msg_content');
  yeastar = await startYeastarSimulator();
  connectly = await startConnectlySimulator();
  const credentials = { clientId: yeastar.clientId, clientSecret: yeastar.clientSecret };
  const y = (kind: string, channelType: string, sender: string) =>
    createChannel(e2e, { provider: 'yeastar', kind, sender_id: sender, settings: { baseUrl: yeastar.url, channelType, senderType: 1, senderNo: '1003' }, credentials });
  ch.ysms = await y('sms', 'twilio', '+15550193511');
  ch.yfb = await y('facebook', 'facebook', '1000001');
  ch.ywa = await y('whatsapp', 'whatsapp', '+15550193510');
  ch.cwa = await createChannel(e2e, {
    provider: 'connectly',
    kind: 'whatsapp',
    sender_id: '+14151111234',
    settings: { businessId: connectly.businessId, baseUrl: connectly.url },
    credentials: { apiKey: connectly.apiKey },
  });
});

afterAll(async () => {
  await e2e?.close();
  await yeastar?.close();
  await connectly?.close();
});

/** The body of the simulator's accepted send for a message's provider id. */
function acceptedBody(sim: YeastarSimulator | ConnectlySimulator, providerMessageId: string | null): Record<string, unknown> {
  const send = sim.acceptedSends().find((s) => s.messageId === providerMessageId);
  if (!send) throw new Error(`the simulator accepted no send with id ${providerMessageId}`);
  return send.body as Record<string, unknown>;
}

describe('seed 000 (Yeastar message/send)', () => {
  it('text, starting a session, with variables', async () => {
    const m = await sendMessage(e2e, { channel_id: ch.ysms, to: '+1 415 555 0101', content_type: 'text', content: 'Hi {{name}}', variables: { name: 'Ana' } });
    expect(m).toMatchObject({ status: 'sent', to: '+14155550101', sent_content: 'session', attempts: 1 });
    expect(acceptedBody(yeastar, m.provider_message_id)).toMatchObject({ channel: 'twilio', to: '+14155550101', msg_kind: 0, msg_body: 'Hi Ana' });
  });

  it('one file within an existing session (session_id, no to)', async () => {
    const first = await sendMessage(e2e, { channel_id: ch.ysms, to: '+14155550102', content_type: 'text', content: 'opening' });
    const session = yeastar.requests.find((r) => (r.response as { msg_id?: number }).msg_id === Number(first.provider_message_id));
    const sessionId = (session!.response as { session_id: number }).session_id;
    const file = { id: '65a7872eedb341068369fe67664e0fa1', name: 'demo.jpeg', uri: '20250725/65a7872eedb341068369fe67664e0fa1', type: 'image/jpeg', size: 88555 };
    const m = await sendMessage(e2e, { channel_id: ch.ysms, session_id: sessionId, content_type: 'document', content: file });
    expect(m).toMatchObject({ status: 'sent', to: null, session_id: String(sessionId) });
    const body = acceptedBody(yeastar, m.provider_message_id);
    expect(body).toMatchObject({ session_id: sessionId, msg_kind: 0, files: [file] });
    expect(body).not.toHaveProperty('to');
  });

  it('Messenger outside the window goes with its tag', async () => {
    const m = await sendMessage(e2e, { channel_id: ch.yfb, to: '+14155550103', content_type: 'text', content: 'Your account details have been updated.', tag: 'ACCOUNT_UPDATE' });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'session' });
    expect(acceptedBody(yeastar, m.provider_message_id)).toMatchObject({ channel: 'facebook', tag: 'ACCOUNT_UPDATE' });
  });

  it('a WhatsApp template with variables starts a session', async () => {
    const m = await sendMessage(e2e, {
      channel_id: ch.ywa,
      to: '+14155550104',
      content_type: 'template',
      template_name: 'order_update',
      variables: { '1': 'Ana', '2': 'A-17' },
    });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'template' });
    const body = acceptedBody(yeastar, m.provider_message_id);
    expect(body.msg_kind).toBe(1);
    expect(JSON.stringify(JSON.parse(String(body.whatsapp_msg_param)).components)).toContain('A-17');
  });
});

const IMAGE_HEADER = { attachment: { type: 'image', url: 'https://cdn.connectly.ai/26fa/26fa1308-d328-41c9-a6a1-d5f4225a3768' } };

/** [name, message, the field of seed 002's message object it becomes]. */
const RICH: [string, Record<string, unknown>, string][] = [
  ['image', { kind: 'attachment', attachment: { type: 'image', url: 'https://example.com/image.jpg', caption: 'For {{name}}' } }, 'attachments'],
  ['video', { kind: 'attachment', attachment: { type: 'video', url: 'https://example.com/video.mp4', caption: 'Check out this video!' } }, 'attachments'],
  ['audio', { kind: 'attachment', attachment: { type: 'audio', url: 'https://example.com/audio.mp3' } }, 'attachments'],
  ['document', { kind: 'attachment', attachment: { type: 'document', url: 'https://example.com/document.pdf', filename: 'document.pdf' } }, 'attachments'],
  ['location', { kind: 'location', latitude: 37.7749, longitude: -122.4194, name: 'San Francisco', address: '123 Main St' }, 'location'],
  [
    'list',
    {
      kind: 'list',
      header: { text: 'Hi {{name}}' },
      footer: 'Choose an option from the list.',
      button: { text: 'Select' },
      sections: [{ title: 'Section 1', rows: [{ id: '1', text: 'Item 1', description: 'Description for Item 1' }] }],
    },
    'listMessage',
  ],
  ['reply buttons', { kind: 'reply_buttons', text: 'Coming, {{name}}?', header: IMAGE_HEADER, footer: 'Footer', buttons: [{ id: 'b1', text: 'Yes' }, { id: 'b2', text: 'No' }] }, 'replyButtonMessage'],
  ['single product', { kind: 'product', catalogId: 'cat-1', productRetailerId: 'sku-1', footer: 'f' }, 'singleProductMessage'],
  ['multi product', { kind: 'multi_product', header: { text: 'Our picks' }, catalogId: 'cat-1', sections: [{ title: 'New', productItems: [{ productRetailerId: 'sku-1' }] }] }, 'multiProductMessage'],
];

describe('seed 002 (Connectly send/messages), window open', () => {
  it('text', async () => {
    const to = '+14155550200';
    await openWindow(e2e.db.pool, ch.cwa, to);
    connectly.recordInbound(to);
    const m = await sendMessage(e2e, { channel_id: ch.cwa, to, content_type: 'text', content: 'Hello, this is a text message!' });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'session' });
    expect(acceptedBody(connectly, m.provider_message_id)).toMatchObject({ message: { text: 'Hello, this is a text message!' } });
  });

  it.each(RICH.map((c, i) => [...c, i] as const))('%s', async (_name, message, field, i) => {
    const to = `+141555503${String(i).padStart(2, '0')}`;
    await openWindow(e2e.db.pool, ch.cwa, to);
    connectly.recordInbound(to);
    const m = await sendMessage(e2e, { channel_id: ch.cwa, to, content_type: 'interactive', message, variables: { name: 'Ana' } });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'session', reason: null });
    const sent = (acceptedBody(connectly, m.provider_message_id) as { message: Record<string, unknown> }).message;
    expect(sent[field]).toBeDefined();
    expect(JSON.stringify(sent)).not.toContain('{{name}}');
    if (JSON.stringify(message).includes('{{name}}')) expect(JSON.stringify(sent)).toContain('Ana');
  });

  it('a template (whatsapp_templated_messages) with variables', async () => {
    const template = { name: 'order_update', language: { code: 'en' }, parameter_format: 'POSITIONAL', components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: '' }, { type: 'TEXT', text: '' }] }] };
    const m = await sendMessage(e2e, { channel_id: ch.cwa, to: '+14155550250', content_type: 'template', msg_param: template, variables: { '1': 'Ana', '2': 'A-17' } });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'template' });
    expect(acceptedBody(connectly, m.provider_message_id)).toMatchObject({
      templateName: 'order_update',
      parameters: [{ name: 'body_1', value: 'Ana' }, { name: 'body_2', value: 'A-17' }],
    });
  });
});

describe('refused up front, per provider', () => {
  it.each([
    ['a list on Yeastar', { channel_id: 'ysms', to: '+14155550399', content_type: 'interactive', message: RICH[5]![1] }, 'message.kind'],
    ['a template on SMS', { channel_id: 'ysms', to: '+14155550399', content_type: 'template', msg_param: { name: 'x', language: { code: 'en' } } }, 'content_type'],
    ['session_id on Connectly', { channel_id: 'cwa', session_id: 3077, content_type: 'text', content: 'hi' }, 'session_id'],
    ['a tag outside Messenger', { channel_id: 'cwa', to: '+14155550399', content_type: 'text', content: 'hi', tag: 'ACCOUNT_UPDATE' }, 'tag'],
    ['four reply buttons', { channel_id: 'cwa', to: '+14155550399', content_type: 'interactive', message: { kind: 'reply_buttons', text: 't', buttons: [1, 2, 3, 4].map((n) => ({ id: `${n}`, text: `${n}` })) } }, 'message.buttons'],
    ['no recipient', { channel_id: 'cwa', content_type: 'text', content: 'hi' }, 'to'],
    ['a request_id over 127 characters', { channel_id: 'cwa', to: '+14155550399', content_type: 'text', content: 'hi', request_id: 'x'.repeat(128) }, 'request_id'],
  ])('%s', async (_name, body, field) => {
    const res = await postMessage(e2e, { ...body, channel_id: ch[body.channel_id as keyof typeof ch] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { field: string } }>().error.field).toBe(field);
  });

  it('nothing was stored for them', async () => {
    const { rows } = await e2e.db.pool.query(`SELECT count(*)::int AS n FROM campaign_recipients WHERE number = '+14155550399'`);
    expect(rows[0]).toEqual({ n: 0 });
  });
});
