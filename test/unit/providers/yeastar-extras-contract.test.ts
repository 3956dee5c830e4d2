/**
 * Yeastar contract for existing-session sends (seed 000's two session examples, exactly), the
 * batchupload form, the template lookup query and answer, and the kinds message/send cannot carry.
 */
import { loadSeed } from '../../fixtures/seeds/load.js';
import type { FileInfo, MessageContent } from '../../../src/providers/types.js';
import { buildUploadForm, MAX_UPLOAD_BYTES } from '../../../src/providers/yeastar/file-upload.js';
import { buildYeastarSendRequest } from '../../../src/providers/yeastar/request-builder.js';
import { parseTemplateList } from '../../../src/providers/yeastar/response-parser.js';
import type { YeastarSendDefaults } from '../../../src/providers/yeastar/settings.js';
import { templateQueryParams, toTemplateDefinition } from '../../../src/providers/yeastar/template-lookup.js';

const extension1003: YeastarSendDefaults = { senderType: 1, senderNo: '1003', channelType: 'whatsapp', didNumber: '+15550193510' };

describe('yeastar existing-session sends against seed 000', () => {
  it('builds "send an image file via an existing message session" exactly', () => {
    const seed = loadSeed('yeastar-send-file-session-request');
    const file = (seed.files as FileInfo[])[0]!;
    const built = buildYeastarSendRequest(extension1003, {
      idempotencyKey: 'imgmsg-1003-20240918170355',
      to: '+14155552671', // known to the session; not sent
      sessionId: '3077',
      content: { kind: 'document', file },
    });
    expect(built).toEqual(seed);
  });

  it('builds the Facebook tagged message in session 3069 (plus our request_id)', () => {
    const seed = loadSeed('yeastar-send-facebook-tag-request');
    const built = buildYeastarSendRequest(
      { ...extension1003, channelType: 'facebook' },
      { idempotencyKey: 'k', to: '+14155552671', sessionId: '3069', content: { kind: 'text', text: seed.msg_body as string }, tag: seed.tag as string },
    );
    expect(built).toEqual({ ...seed, request_id: 'k' });
  });

  it('refuses a session id that is not a positive integer', () => {
    for (const sessionId of ['0', '-1', 'abc', '12.5', '']) {
      expect(() =>
        buildYeastarSendRequest(extension1003, { idempotencyKey: 'k', to: '+1', sessionId, content: { kind: 'text', text: 'x' } }),
      ).toThrow(expect.objectContaining({ errorClass: 'permanent', providerCode: 'SESSION_ID_INVALID', field: 'session_id' }));
    }
  });

  it('refuses every kind message/send cannot carry, before sending', () => {
    const kinds: MessageContent[] = [
      { kind: 'attachment', attachment: { type: 'image', url: 'https://e.com/i.jpg' } },
      { kind: 'location', latitude: 1, longitude: 2 },
      { kind: 'list', button: { text: 'b' }, sections: [] },
      { kind: 'reply_buttons', text: 't', buttons: [] },
      { kind: 'product', catalogId: 'c', productRetailerId: 'p' },
      { kind: 'multi_product', catalogId: 'c', sections: [] },
    ];
    for (const content of kinds) {
      expect(() => buildYeastarSendRequest(extension1003, { idempotencyKey: 'k', to: '+14155552671', content })).toThrow(
        expect.objectContaining({ errorClass: 'permanent', providerCode: 'CONTENT_NOT_SUPPORTED', retryable: false }),
      );
    }
  });
});

describe('yeastar batchupload form', () => {
  it('puts every file in the multipart field `files`', () => {
    const form = buildUploadForm([
      { name: 'demo.jpeg', type: 'image/jpeg', data: Buffer.alloc(10) },
      { name: 'b.pdf', type: 'application/pdf', data: Buffer.alloc(5) },
    ]);
    const files = form.getAll('files') as File[];
    expect(files.map((f) => [f.name, f.type, f.size])).toEqual([
      ['demo.jpeg', 'image/jpeg', 10],
      ['b.pdf', 'application/pdf', 5],
    ]);
  });

  it('refuses more than the limit in total, and an empty upload', () => {
    expect(MAX_UPLOAD_BYTES).toBe(100 * 1024 * 1024);
    const half = { name: 'a', type: 'application/octet-stream', data: Buffer.alloc(6) };
    expect(() => buildUploadForm([half, half], 11)).toThrow(expect.objectContaining({ errorClass: 'permanent', providerCode: 'FILES_TOO_LARGE' }));
    expect(() => buildUploadForm([half, half], 12)).not.toThrow();
    expect(() => buildUploadForm([])).toThrow(expect.objectContaining({ providerCode: 'NO_FILES' }));
  });
});

describe('yeastar template lookup', () => {
  it("asks with seed 000's parameter names", () => {
    expect(templateQueryParams({ search: 'discount', page: 2, pageSize: 50 }).toString()).toBe('search_value=discount&page=2&page_size=50');
    expect(templateQueryParams().toString()).toBe('page=1&page_size=20');
  });

  it("turns seed 000's answer into a definition with parsed components", () => {
    const definition = toTemplateDefinition(parseTemplateList(loadSeed('yeastar-template-list-response'))!.templates[0]!);
    expect(definition).toMatchObject({
      id: 1773,
      template_id: '1293546285747227',
      name: 'discount_campaign',
      parameter_format: 'NAMED',
      language: 'en',
      category: 'MARKETING',
    });
    expect(definition.components.map((c) => c.type)).toEqual(['HEADER', 'BODY', 'BUTTONS']);
    expect(definition.components[0]).toEqual({ type: 'HEADER', format: 'IMAGE' });
    expect(definition.components[1]!.text).toContain('{{customertier}}');
  });

  it('keeps a template whose components_data is unreadable, with no components', () => {
    const definition = toTemplateDefinition({ id: 1, template_id: '2', name: 'x', parameter_format: 'POSITIONAL', language: 'en', components_data: '{oops' });
    expect(definition.components).toEqual([]);
  });
});
