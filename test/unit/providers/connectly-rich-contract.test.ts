/**
 * Connectly contract for every session content kind of seed 002: each of the page's examples is
 * built from our own MessageContent types and compared field for field (plus our message.id). The
 * product kinds have no example of their own; they are compared with the request schema's
 * singleProductMessage / multiProductMessage, whose attachment type placeholder
 * ("attachment_type_unspecified") is replaced by a real type.
 */
import { loadSeed } from '../../fixtures/seeds/load.js';
import { buildConnectlyRequest } from '../../../src/providers/connectly/request-builder.js';
import type { ConnectlySendDefaults } from '../../../src/providers/connectly/settings.js';
import type { MessageContent } from '../../../src/providers/types.js';

const whatsapp: ConnectlySendDefaults = { senderId: '+14151111234', channelType: 'whatsapp', kind: 'whatsapp' };
type Seed = { message: Record<string, unknown> };

function build(content: MessageContent, key = 'k1'): unknown {
  const built = buildConnectlyRequest(whatsapp, { idempotencyKey: key, to: '+16044441111', content });
  expect(built.endpoint).toBe('send/messages');
  return built.body;
}

function expectSeed(name: string, content: MessageContent): void {
  const seed = loadSeed<Seed>(name);
  expect(build(content)).toEqual({ ...seed, message: { ...seed.message, id: 'k1' } });
}

const schema = loadSeed<Seed>('connectly-send-request-schema');
const withType = (value: unknown, type: string): unknown => JSON.parse(JSON.stringify(value).replaceAll('attachment_type_unspecified', type));

describe('connectly session content against seed 002', () => {
  it('image, video, audio and document attachments', () => {
    expectSeed('connectly-image-request', { kind: 'attachment', attachment: { type: 'image', url: 'https://example.com/image.jpg', caption: 'Check out this image!' } });
    expectSeed('connectly-video-request', { kind: 'attachment', attachment: { type: 'video', url: 'https://example.com/video.mp4', caption: 'Check out this video!' } });
    expectSeed('connectly-audio-request', { kind: 'attachment', attachment: { type: 'audio', url: 'https://example.com/audio.mp3' } });
    expectSeed('connectly-document-request', {
      kind: 'attachment',
      attachment: { type: 'document', url: 'https://example.com/document.pdf', caption: 'Check out this document!', filename: 'document.pdf' },
    });
  });

  it('location', () => {
    expectSeed('connectly-location-request', { kind: 'location', latitude: 37.7749, longitude: -122.4194, name: 'San Francisco', address: '123 Main St' });
  });

  it('interactive list', () => {
    expectSeed('connectly-list-request', {
      kind: 'list',
      header: { text: 'Check out this list of items!' },
      footer: 'Choose an option from the list.',
      button: { text: 'Select' },
      sections: [
        {
          title: 'Section 1',
          rows: [
            { id: '1', text: 'Item 1', description: 'Description for Item 1' },
            { id: '2', text: 'Item 2', description: 'Description for Item 2' },
          ],
        },
        { title: 'Section 2', rows: [{ id: '3', text: 'Item 3', description: 'Description for Item 3' }] },
      ],
    });
  });

  it('reply buttons, with the body as message.text', () => {
    expectSeed('connectly-reply-buttons-request', {
      kind: 'reply_buttons',
      text: 'This is a reply button message',
      header: { text: 'Header' },
      footer: 'Footer',
      buttons: [
        { id: 'b1', text: 'Button 1' },
        { id: 'b2', text: 'Button 2' },
        { id: 'b3', text: 'Button 3' },
      ],
    });
  });

  it("a list and reply buttons with the schema's media header and button id", () => {
    const header = { text: 'text', attachment: { type: 'image' as const, url: 'https://cdn.connectly.ai/d9c4/d9c45701-4895-4b19-8173-dd6a013ae981', caption: 'text', filename: 'text' } };
    const list = build({ kind: 'list', header, footer: 'text', button: { id: 'text', text: 'text' }, sections: [{ title: 'text', rows: [{ id: 'text', text: 'text', description: 'text' }] }] });
    expect((list as Seed).message.listMessage).toEqual(withType(schema.message.listMessage, 'image'));
    const buttons = build({ kind: 'reply_buttons', text: 'text', header, footer: 'text', buttons: [{ id: 'text', text: 'text' }] });
    expect((buttons as Seed).message.replyButtonMessage).toEqual(withType(schema.message.replyButtonMessage, 'image'));
  });

  it('single product', () => {
    const body = build({ kind: 'product', catalogId: 'text', productRetailerId: 'text', footer: 'text' }) as Seed;
    expect(body.message).toEqual({ id: 'k1', singleProductMessage: schema.message.singleProductMessage });
  });

  it('multi product', () => {
    const body = build({
      kind: 'multi_product',
      header: { text: 'text', attachment: { type: 'document', url: 'https://cdn.connectly.ai/d9c4/d9c45701-4895-4b19-8173-dd6a013ae981', caption: 'text', filename: 'text' } },
      footer: 'text',
      catalogId: 'text',
      sections: [{ title: 'text', productItems: [{ productRetailerId: 'text' }] }],
    }) as Seed;
    expect(body.message).toEqual({ id: 'k1', multiProductMessage: withType(schema.message.multiProductMessage, 'document') });
  });

  it('sends exactly one content kind per message', () => {
    const kinds = ['attachments', 'location', 'listMessage', 'replyButtonMessage', 'singleProductMessage', 'multiProductMessage'];
    const contents: MessageContent[] = [
      { kind: 'attachment', attachment: { type: 'image', url: 'https://e.com/i.jpg' } },
      { kind: 'location', latitude: 1, longitude: 2 },
      { kind: 'list', button: { text: 'b' }, sections: [{ rows: [{ id: '1', text: 'r' }] }] },
      { kind: 'reply_buttons', text: 't', buttons: [{ id: 'b', text: 'B' }] },
      { kind: 'product', catalogId: 'c', productRetailerId: 'p' },
      { kind: 'multi_product', catalogId: 'c', sections: [{ productItems: [{ productRetailerId: 'p' }] }] },
    ];
    for (const content of contents) {
      const message = (build(content) as Seed).message;
      expect(Object.keys(message).filter((k) => kinds.includes(k))).toHaveLength(1);
      // Optional parts left out are absent, not undefined or empty.
      expect(JSON.stringify(message)).not.toMatch(/"(header|footer|caption|filename|name|address|title|description)"/);
    }
  });

  it('refuses interactive content outside WhatsApp before sending', () => {
    const sms: ConnectlySendDefaults = { ...whatsapp, channelType: 'sms', kind: 'sms' };
    expect(() => buildConnectlyRequest(sms, { idempotencyKey: 'k', to: '+16044441111', content: { kind: 'location', latitude: 1, longitude: 2 } })).toThrow(
      expect.objectContaining({ errorClass: 'permanent', providerCode: 'CONTENT_NOT_SUPPORTED' }),
    );
  });
});
