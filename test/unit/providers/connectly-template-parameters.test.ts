import { toConnectlyParameters } from '../../../src/providers/connectly/template-parameters.js';
import type { TemplateMessage } from '../../../src/providers/types.js';

const base = { name: 't', language: { code: 'en' } };

describe('toConnectlyParameters', () => {
  it('maps NAMED body parameters to their parameter_name', () => {
    const template: TemplateMessage = {
      ...base,
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'Ada', parameter_name: 'first_name' }] }],
    };
    expect(toConnectlyParameters(template)).toEqual([{ name: 'first_name', value: 'Ada' }]);
  });

  it('maps POSITIONAL body parameters to body_1…body_N in order', () => {
    const template: TemplateMessage = {
      ...base,
      parameter_format: 'POSITIONAL',
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: '#42' }] }],
    };
    expect(toConnectlyParameters(template)).toEqual([
      { name: 'body_1', value: 'Ada' },
      { name: 'body_2', value: '#42' },
    ]);
  });

  it('maps a text header to header_text', () => {
    const template: TemplateMessage = { ...base, components: [{ type: 'HEADER', parameters: [{ type: 'TEXT', text: 'Hi' }] }] };
    expect(toConnectlyParameters(template)).toEqual([{ name: 'header_text', value: 'Hi' }]);
  });

  it("maps an image header from Yeastar's file_list or Meta's image.link", () => {
    const fromFileList: TemplateMessage = {
      ...base,
      components: [{ type: 'HEADER', parameters: [{ type: 'IMAGE', file_list: [{ uri: 'https://cdn/x.jpg', name: 'x.jpg' }] }] }],
    };
    const fromMeta: TemplateMessage = { ...base, components: [{ type: 'HEADER', parameters: [{ type: 'image', image: { link: 'https://cdn/y.jpg' } }] }] };
    expect(toConnectlyParameters(fromFileList)).toEqual([{ name: 'header_image', value: 'https://cdn/x.jpg' }]);
    expect(toConnectlyParameters(fromMeta)).toEqual([{ name: 'header_image', value: 'https://cdn/y.jpg' }]);
  });

  it('maps a document header with its filename', () => {
    const template: TemplateMessage = {
      ...base,
      components: [{ type: 'HEADER', parameters: [{ type: 'DOCUMENT', document: { link: 'https://cdn/inv.pdf', filename: 'invoice.pdf' } }] }],
    };
    expect(toConnectlyParameters(template)).toEqual([{ name: 'header_document', value: 'https://cdn/inv.pdf', filename: 'invoice.pdf' }]);
  });

  it('maps URL button values and skips static buttons', () => {
    const template: TemplateMessage = {
      ...base,
      components: [
        {
          type: 'BUTTONS',
          parameters: [
            { type: 'FLOW', text: '' },
            { type: 'URL', text: 'order/42' },
          ],
        },
      ],
    };
    expect(toConnectlyParameters(template)).toEqual([{ name: 'button_2_url', value: 'order/42' }]);
  });

  it('sends nothing for a template without components', () => {
    expect(toConnectlyParameters(base)).toEqual([]);
  });

  it('refuses what Connectly cannot express, naming the field', () => {
    const template: TemplateMessage = { ...base, components: [{ type: 'BODY', parameters: [{ type: 'CURRENCY', currency: {} }] }] };
    expect(() => toConnectlyParameters(template)).toThrow(
      expect.objectContaining({ errorClass: 'permanent', providerCode: 'TEMPLATE_PARAMETER_UNSUPPORTED', field: 'components[0].parameters[0]' }),
    );
    const namedWithoutName: TemplateMessage = {
      ...base,
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'x' }] }],
    };
    expect(() => toConnectlyParameters(namedWithoutName)).toThrow(expect.objectContaining({ providerCode: 'TEMPLATE_PARAMETER_UNSUPPORTED' }));
  });
});
