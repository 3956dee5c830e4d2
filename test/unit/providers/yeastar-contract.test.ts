/**
 * Yeastar contract: our request builder reproduces seed 000's message/send examples from our own
 * types, and our parsers read every response example of the page.
 */
import { loadSeed } from '../../fixtures/seeds/load.js';
import { ProviderError } from '../../../src/providers/provider-error.js';
import type { FileInfo, TemplateMessage } from '../../../src/providers/types.js';
import { buildYeastarSendRequest } from '../../../src/providers/yeastar/request-builder.js';
import {
  parseSendSuccess,
  parseTemplateList,
  parseTokenAnswer,
  parseUploadAnswer,
} from '../../../src/providers/yeastar/response-parser.js';
import type { YeastarSendDefaults } from '../../../src/providers/yeastar/settings.js';

const extension1003: Omit<YeastarSendDefaults, 'channelType' | 'didNumber'> = { senderType: 1, senderNo: '1003' };

describe('yeastar request builder against seed 000', () => {
  it('builds the WhatsApp template example field for field (plus our request_id)', () => {
    const seed = loadSeed('yeastar-send-template-request');
    const template = loadSeed<TemplateMessage>('yeastar-template-message');
    const built = buildYeastarSendRequest(
      { ...extension1003, channelType: 'whatsapp', didNumber: '+15550193510' },
      { idempotencyKey: 'c1-r1', to: '+14155552671', content: { kind: 'template', template } },
    );
    expect(built).toEqual({ ...seed, request_id: 'c1-r1' });
    // The JSON string itself, character for character.
    expect(built.whatsapp_msg_param).toBe(seed.whatsapp_msg_param);
  });

  it('builds the file example in new-session mode (channel, did_number, to instead of session_id)', () => {
    const seed = loadSeed('yeastar-send-file-session-request');
    const file = (seed.files as FileInfo[])[0]!;
    const built = buildYeastarSendRequest(
      { ...extension1003, channelType: 'general', didNumber: '+15550100' },
      { idempotencyKey: seed.request_id as string, to: '+15550199', content: { kind: 'document', file } },
    );
    const { session_id: _session, ...rest } = seed;
    expect(built).toEqual({ ...rest, channel: 'general', did_number: '+15550100', to: '+15550199' });
  });

  it('builds the Facebook tagged text example in new-session mode', () => {
    const seed = loadSeed('yeastar-send-facebook-tag-request');
    const built = buildYeastarSendRequest(
      { ...extension1003, channelType: 'facebook', didNumber: 'page-1' },
      { idempotencyKey: 'k', to: '+15550199', content: { kind: 'text', text: seed.msg_body as string }, tag: seed.tag as string },
    );
    const { session_id: _session, ...rest } = seed;
    expect(built).toEqual({ ...rest, channel: 'facebook', did_number: 'page-1', to: '+15550199', request_id: 'k' });
  });

  it('defaults to sender_type 9 without sender_no and puts a document caption in msg_body', () => {
    const built = buildYeastarSendRequest(
      { senderType: 9, channelType: 'twilio', didNumber: '+15550100' },
      { idempotencyKey: 'k', to: '+15550199', content: { kind: 'document', file: { uri: 'u/1' }, caption: 'Your invoice' } },
    );
    expect(built).toEqual({
      sender_type: 9,
      channel: 'twilio',
      did_number: '+15550100',
      to: '+15550199',
      msg_kind: 0,
      msg_type: 0,
      files: [{ uri: 'u/1' }],
      msg_body: 'Your invoice',
      request_id: 'k',
    });
  });

  it('rejects an idempotency key longer than 127 characters before sending', () => {
    const build = (): unknown =>
      buildYeastarSendRequest(
        { senderType: 9, channelType: 'whatsapp', didNumber: '+1' },
        { idempotencyKey: 'x'.repeat(128), to: '+15550199', content: { kind: 'text', text: 'hi' } },
      );
    expect(build).toThrow(ProviderError);
    expect(build).toThrow(expect.objectContaining({ errorClass: 'permanent', providerCode: 'REQUEST_ID_TOO_LONG' }));
  });
});

describe('yeastar response parsers against seed 000', () => {
  it('reads both message/send answers', () => {
    expect(parseSendSuccess(loadSeed('yeastar-send-file-session-response'))).toEqual({ providerMessageId: '10273', sessionId: '3077' });
    expect(parseSendSuccess(loadSeed('yeastar-send-facebook-tag-response'))).toEqual({ providerMessageId: '10252', sessionId: '3069' });
  });

  it("reads the template example's answer, whose id field is `id`", () => {
    expect(parseSendSuccess(loadSeed('yeastar-send-template-response'))).toEqual({ providerMessageId: '249' });
  });

  it('reads the batchupload answer as FileInfo', () => {
    expect(parseUploadAnswer(loadSeed('yeastar-batchupload-response'))).toEqual([
      { id: '65a7872eedb341068369fe67664e0fa1', name: 'demo.jpeg', uri: '20250725/65a7872eedb341068369fe67664e0fa1', type: 'image/jpeg', size: 88555 },
    ]);
  });

  it('reads the template list answer', () => {
    const list = parseTemplateList(loadSeed('yeastar-template-list-response'));
    expect(list?.total).toBe(1);
    expect(list?.templates[0]).toMatchObject({ id: 1773, name: 'discount_campaign', parameter_format: 'NAMED', language: 'en' });
    expect(JSON.parse(list!.templates[0]!.components_data!)).toHaveLength(3);
  });

  it('reads a get_token answer (documented example) into absolute expiry times', () => {
    const answer = {
      errcode: 0,
      errmsg: 'SUCCESS',
      access_token_expire_time: 1800,
      access_token: 'EXZMpZAO86mbrKm6rFtgeb3rfcpC9uqS',
      refresh_token_expire_time: 86400,
      refresh_token: 'SCduGecwbG9jIusiS8FxFUVn3kf0Q9R8',
    };
    expect(parseTokenAnswer(answer, 1_000)).toEqual({
      accessToken: 'EXZMpZAO86mbrKm6rFtgeb3rfcpC9uqS',
      accessExpiresAt: 1_000 + 1_800_000,
      refreshToken: 'SCduGecwbG9jIusiS8FxFUVn3kf0Q9R8',
      refreshExpiresAt: 1_000 + 86_400_000,
    });
  });

  it('does not read failures as successes', () => {
    expect(parseSendSuccess({ errcode: 40002, errmsg: 'PARAMETER ERROR' })).toBeUndefined();
    expect(parseTokenAnswer({ errcode: -1, errmsg: 'FAILURE' }, 0)).toBeUndefined();
    expect(parseUploadAnswer({ errcode: 0, errmsg: 'SUCCESS' })).toBeUndefined();
  });
});
