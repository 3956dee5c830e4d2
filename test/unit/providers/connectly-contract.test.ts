/**
 * Connectly contract: our request builder reproduces seed 002's examples from our own types (with
 * our idempotency key as message.id), and our parser reads its answer.
 */
import { loadSeed } from '../../fixtures/seeds/load.js';
import { buildConnectlyRequest } from '../../../src/providers/connectly/request-builder.js';
import { parseConnectlyError, parseConnectlySuccess } from '../../../src/providers/connectly/response-parser.js';
import type { ConnectlySendDefaults } from '../../../src/providers/connectly/settings.js';
import type { TemplateMessage } from '../../../src/providers/types.js';

const whatsapp: ConnectlySendDefaults = { senderId: '+14151111234', channelType: 'whatsapp', kind: 'whatsapp' };

describe('connectly request builder against seed 002', () => {
  it('builds the text example', () => {
    const seed = loadSeed<{ message: Record<string, unknown> }>('connectly-text-request');
    const built = buildConnectlyRequest(whatsapp, {
      idempotencyKey: 'c1-r1',
      to: '+16044441111',
      content: { kind: 'text', text: 'Hello, this is a text message!' },
    });
    expect(built.endpoint).toBe('send/messages');
    expect(built.body).toEqual({ ...seed, message: { ...seed.message, id: 'c1-r1' } });
  });

  it('builds the document attachment example', () => {
    const seed = loadSeed<{ message: Record<string, unknown> }>('connectly-document-request');
    const built = buildConnectlyRequest(whatsapp, {
      idempotencyKey: 'c1-r2',
      to: '+16044441111',
      content: { kind: 'document', file: { uri: 'https://example.com/document.pdf', name: 'document.pdf' }, caption: 'Check out this document!' },
    });
    expect(built.body).toEqual({ ...seed, message: { ...seed.message, id: 'c1-r2' } });
  });

  it('carries campaignName where the schema has it', () => {
    const schema = loadSeed('connectly-send-request-schema');
    const built = buildConnectlyRequest(whatsapp, {
      idempotencyKey: 'k',
      to: '+16044441111',
      content: { kind: 'text', text: 'hi' },
      campaignName: schema.campaignName as string,
    });
    expect(built.body).toMatchObject({ campaignName: 'test_campaign_2022-03-12' });
  });

  it("builds a templated message from seed 000's template object", () => {
    const template = loadSeed<TemplateMessage>('yeastar-template-message');
    const built = buildConnectlyRequest(whatsapp, {
      idempotencyKey: 'c1-r3',
      to: '+16044441111',
      content: { kind: 'template', template },
      campaignName: 'summer',
    });
    expect(built).toEqual({
      endpoint: 'send/whatsapp_templated_messages',
      body: {
        number: '+16044441111',
        templateName: 'discount_campaign',
        language: 'en',
        parameters: [
          { name: 'header_image', value: '20250725/d8b23d56d9974cdb90d6c2d6927861b9' },
          { name: 'customertier', value: 'VIP' },
          { name: 'offertype', value: 'discount' },
          { name: 'offerdetails', value: '20% off for all products' },
          { name: 'expirydate', value: 'July 31, 2025' },
          { name: 'companyname', value: 'SmartMal' },
        ],
        sender: '+14151111234',
        callbackData: 'c1-r3',
        campaignName: 'summer',
      },
    });
  });

  it('sends SMS with channelType sms and refuses templates outside WhatsApp', () => {
    const sms: ConnectlySendDefaults = { senderId: '+14151111234', channelType: 'sms', kind: 'sms' };
    const built = buildConnectlyRequest(sms, { idempotencyKey: 'k', to: '+16044441111', content: { kind: 'text', text: 'hi' } });
    expect(built.body).toMatchObject({ sender: { channelType: 'sms' }, recipient: { channelType: 'sms' } });
    expect(() =>
      buildConnectlyRequest(sms, {
        idempotencyKey: 'k',
        to: '+16044441111',
        content: { kind: 'template', template: { name: 't', language: { code: 'en' } } },
      }),
    ).toThrow(expect.objectContaining({ errorClass: 'permanent', providerCode: 'CONTENT_NOT_SUPPORTED' }));
  });
});

describe('connectly response parsers', () => {
  it("reads seed 002's answer", () => {
    expect(parseConnectlySuccess(loadSeed('connectly-send-response'))).toEqual({ providerMessageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
  });

  it('reads an error body and refuses it as a success', () => {
    const body = { message: 'closed', type: 'ERROR_TYPE_DEADLINE_EXCEEDED', code: 'ERROR_CODE_MESSAGE_OUTSIDE_OF_ELIGIBILITY_WINDOW', cntTraceId: 't' };
    expect(parseConnectlySuccess(body)).toBeUndefined();
    expect(parseConnectlyError(body)).toMatchObject({ code: body.code, type: body.type, message: 'closed' });
  });
});
