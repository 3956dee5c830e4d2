import { assertContentSupported, supportedContentKinds, supportsContent } from '../../../src/providers/capabilities.js';
import { CONTENT_KINDS } from '../../../src/providers/types.js';

describe('content capabilities', () => {
  it('Yeastar sends text, uploaded files and templates; nothing interactive', () => {
    expect(supportedContentKinds('yeastar')).toEqual(['text', 'document', 'template']);
    for (const kind of ['attachment', 'location', 'list', 'reply_buttons', 'product', 'multi_product']) {
      expect(supportsContent('yeastar', kind)).toBe(false);
    }
  });

  it('Connectly sends every kind, interactive ones on WhatsApp only', () => {
    expect(supportedContentKinds('connectly')).toEqual([...CONTENT_KINDS]);
    expect(supportedContentKinds('connectly', 'whatsapp')).toEqual([...CONTENT_KINDS]);
    expect(supportedContentKinds('connectly', 'sms')).toEqual(['text', 'document', 'attachment']);
    expect(supportsContent('connectly', 'list', 'sms')).toBe(false);
  });

  it('templates are WhatsApp only on both providers', () => {
    expect(supportsContent('yeastar', 'template', 'whatsapp')).toBe(true);
    expect(supportsContent('yeastar', 'template', 'sms')).toBe(false);
    expect(supportsContent('connectly', 'template', 'facebook')).toBe(false);
  });

  it('an unknown kind is never supported', () => {
    expect(supportsContent('connectly', 'carousel')).toBe(false);
    expect(supportsContent('yeastar', 'toString')).toBe(false);
  });

  it('the assertion throws a permanent CONTENT_NOT_SUPPORTED naming what the provider does send', () => {
    expect(() => assertContentSupported('yeastar', 'location')).toThrow(
      expect.objectContaining({ errorClass: 'permanent', providerCode: 'CONTENT_NOT_SUPPORTED', retryable: false }),
    );
    expect(() => assertContentSupported('connectly', 'list', 'sms')).toThrow(/list messages on sms channels/);
    expect(() => assertContentSupported('connectly', 'list', 'whatsapp')).not.toThrow();
  });
});
