/** Every seed 002 session content kind through the real Connectly client and the simulator. */
import { createConnectlyClient, type ConnectlyClient } from '../../../src/providers/connectly/client.js';
import type { ProviderError } from '../../../src/providers/provider-error.js';
import type { MessageContent } from '../../../src/providers/types.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';

let sim: ConnectlySimulator;
let client: ConnectlyClient;
const to = '+16044441111';

beforeAll(async () => {
  sim = await startConnectlySimulator();
  client = createConnectlyClient({
    channel: {
      id: 'c-rich',
      provider: 'connectly',
      kind: 'whatsapp',
      senderId: '+14151111234',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
    },
    userAgent: 'cd-test/1',
    log: testLogger(),
  });
});
beforeEach(() => {
  sim.reset();
  sim.recordInbound(to);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

const header = { attachment: { type: 'image' as const, url: 'https://cdn.connectly.ai/26fa/26fa1308-d328-41c9-a6a1-d5f4225a3768' } };

const CASES: [string, MessageContent, string][] = [
  ['image', { kind: 'attachment', attachment: { type: 'image', url: 'https://example.com/image.jpg', caption: 'Check out this image!' } }, 'attachments'],
  ['video', { kind: 'attachment', attachment: { type: 'video', url: 'https://example.com/video.mp4' } }, 'attachments'],
  ['audio', { kind: 'attachment', attachment: { type: 'audio', url: 'https://example.com/audio.mp3' } }, 'attachments'],
  ['document', { kind: 'attachment', attachment: { type: 'document', url: 'https://example.com/d.pdf', filename: 'd.pdf' } }, 'attachments'],
  ['location', { kind: 'location', latitude: 37.7749, longitude: -122.4194, name: 'San Francisco', address: '123 Main St' }, 'location'],
  [
    'list',
    { kind: 'list', header: { text: 'Pick one' }, footer: 'f', button: { text: 'Select' }, sections: [{ title: 'S', rows: [{ id: '1', text: 'Item 1' }] }] },
    'listMessage',
  ],
  ['reply buttons', { kind: 'reply_buttons', text: 'Coming?', header, footer: 'f', buttons: [{ id: 'y', text: 'Yes' }] }, 'replyButtonMessage'],
  ['product', { kind: 'product', catalogId: 'cat-1', productRetailerId: 'sku-1', footer: 'f' }, 'singleProductMessage'],
  [
    'multi product',
    { kind: 'multi_product', header: { text: 'Our picks' }, catalogId: 'cat-1', sections: [{ title: 'New', productItems: [{ productRetailerId: 'sku-1' }, { productRetailerId: 'sku-2' }] }] },
    'multiProductMessage',
  ],
];

describe('connectly rich session content', () => {
  it.each(CASES)('sends %s', async (_name, content, field) => {
    const result = await client.send({ idempotencyKey: `rich-${_name}`, to, content });
    const [accepted] = sim.acceptedSends();
    expect(accepted).toMatchObject({ kind: 'session', messageId: result.providerMessageId, idempotencyKey: `rich-${_name}` });
    const message = (accepted!.body as { message: Record<string, unknown> }).message;
    expect(message[field]).toBeDefined();
  });

  it('the simulator refuses what WhatsApp would (four reply buttons), as a permanent error', async () => {
    const buttons = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: id }));
    const err = (await client.send({ idempotencyKey: 'too-many', to, content: { kind: 'reply_buttons', text: 't', buttons } }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toMatchObject({ errorClass: 'permanent', httpStatus_: 400 });
    expect(sim.acceptedSends()).toHaveLength(0);
  });

  it('session content outside the window is window_closed, as for text', async () => {
    sim.reset();
    const err = (await client.send({ idempotencyKey: 'closed', to, content: { kind: 'location', latitude: 1, longitude: 2 } }).catch((e: unknown) => e)) as ProviderError;
    expect(err.errorClass).toBe('window_closed');
  });
});
