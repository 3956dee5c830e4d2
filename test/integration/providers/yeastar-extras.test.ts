/**
 * Yeastar's extras through the registry (as the API will reach them) against the simulator:
 * sending in an existing session, file upload, template lookup and validation.
 */
import { validateTemplateParameters } from '../../../src/providers/template-validation.js';
import { createProviderRegistry, type ProviderRegistry } from '../../../src/providers/registry.js';
import type { ChannelSpec, FileUploader, TemplateDirectory, TemplateMessage } from '../../../src/providers/types.js';
import { loadSeed } from '../../fixtures/seeds/load.js';
import { createMemorySharedStore } from '../../fixtures/memory-shared-store.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';

let sim: YeastarSimulator;
let registry: ProviderRegistry;
let channel: ChannelSpec;
let uploader: FileUploader;
let templates: TemplateDirectory;

beforeAll(async () => {
  sim = await startYeastarSimulator();
  registry = createProviderRegistry({ store: createMemorySharedStore(), userAgent: 'cd-test/1', log: testLogger() });
  channel = {
    id: 'y-extras',
    provider: 'yeastar',
    kind: 'whatsapp',
    senderId: '+15550193510',
    settings: { baseUrl: sim.url, channelType: 'whatsapp', senderType: 1, senderNo: '1003', omnichannelId: 1 },
    credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
  };
  const capabilities = registry.capabilitiesFor(channel);
  uploader = capabilities.uploader!;
  templates = capabilities.templates!;
});
beforeEach(() => sim.reset());
afterAll(async () => {
  await registry.close();
  await sim.close();
});

describe('yeastar capabilities through the registry', () => {
  it('are handed out for Yeastar channels and not for Connectly ones', () => {
    expect(uploader).toBeDefined();
    expect(templates).toBeDefined();
    const connectly: ChannelSpec = { id: 'c', provider: 'connectly', kind: 'whatsapp', senderId: '+1', settings: { businessId: 'b' }, credentials: { apiKey: 'k' } };
    expect(registry.capabilitiesFor(connectly)).toEqual({});
  });

  it('uploads a file once and sends it in the session a first send opened', async () => {
    const [file] = await uploader.uploadFiles([{ name: 'demo.jpeg', type: 'image/jpeg', data: Buffer.alloc(88_555, 1) }]);
    expect(file).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'demo.jpeg', uri: expect.stringMatching(/^\d{8}\/[0-9a-f]{32}$/), type: 'image/jpeg', size: 88_555 });
    const upload = sim.requests.find((r) => r.path.endsWith('/message/batchupload'));
    expect(upload?.body).toEqual({ files: [{ name: 'demo.jpeg', type: 'image/jpeg', size: 88_555 }] });

    const client = registry.clientFor(channel);
    const template: TemplateMessage = { name: 'hello_world', language: { code: 'en_US' } };
    const opened = await client.send({ idempotencyKey: 'open-1', to: '+14155552671', content: { kind: 'template', template } });
    expect(opened.sessionId).toBeDefined();
    const inSession = await client.send({ idempotencyKey: 'imgmsg-1', to: '+14155552671', sessionId: opened.sessionId, content: { kind: 'document', file: file! } });
    expect(inSession.sessionId).toBe(opened.sessionId);
    expect(sim.acceptedSends()[1]!.body).toEqual({
      sender_type: 1,
      sender_no: '1003',
      session_id: Number(opened.sessionId),
      msg_kind: 0,
      msg_type: 0,
      files: [file],
      request_id: 'imgmsg-1',
    });
  });

  it('a session the PBX does not know is a permanent parameter error', async () => {
    const err = await registry
      .clientFor(channel)
      .send({ idempotencyKey: 'ghost', to: '+14155552671', sessionId: '999999', content: { kind: 'text', text: 'hi' } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ errorClass: 'permanent', providerCode: '40002', field: 'session_id' });
  });

  it('refuses uploads above 100 MB before any request', async () => {
    const before = sim.requests.length;
    const big = { name: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(50 * 1024 * 1024 + 1) };
    await expect(uploader.uploadFiles([big, big])).rejects.toMatchObject({ errorClass: 'permanent', providerCode: 'FILES_TOO_LARGE' });
    expect(sim.requests.length).toBe(before);
  });

  it("finds seed 000's template and checks seed 000's message against it", async () => {
    const found = await templates.searchTemplates({ search: 'discount' });
    expect(found.total).toBe(1);
    const [discount] = found.templates;
    expect(discount).toMatchObject({ id: 1773, name: 'discount_campaign', parameter_format: 'NAMED', language: 'en', category: 'MARKETING' });
    expect(discount!.components.map((c) => c.type)).toEqual(['HEADER', 'BODY', 'BUTTONS']);
    const search = sim.requests.find((r) => r.path.endsWith('/message_channel/whatsapp_template'));
    expect(search?.query).toEqual({ search_value: 'discount', page: '1', page_size: '20', omnichannel_id: '1', access_token: '[redacted]' });
    expect(validateTemplateParameters(discount!, loadSeed<TemplateMessage>('yeastar-template-message'))).toEqual([]);
  });

  it('pages through the template list', async () => {
    const page1 = await templates.searchTemplates({ pageSize: 1 });
    const page2 = await templates.searchTemplates({ pageSize: 1, page: 2 });
    expect(page1.total).toBe(2);
    expect([page1.templates[0]!.name, page2.templates[0]!.name]).toEqual(['discount_campaign', 'order_update']);
  });

  it('renews an expired token for uploads and lookups as for sends', async () => {
    sim.expireTokens();
    await expect(uploader.uploadFiles([{ name: 'a.txt', type: 'text/plain', data: Buffer.from('x') }])).resolves.toHaveLength(1);
    sim.expireTokens();
    await expect(templates.searchTemplates()).resolves.toMatchObject({ total: 2 });
  });
});
