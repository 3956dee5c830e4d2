/**
 * A msg_param built from a template definition must be exactly what the render step fills: these
 * tests build one, render it with a recipient's variables, and check the values land where the
 * template's placeholders are.
 */
import { renderContent } from '../../../src/policy/render-content.js';
import { validateTemplateParameters } from '../../../src/providers/template-validation.js';
import type { TemplateDefinition, TemplateMessage } from '../../../src/providers/types.js';
import { buildTemplateMessage } from '../../../src/templates/template-message.js';

const DISCOUNT: TemplateDefinition = {
  id: 1773,
  template_id: '1293546285747227',
  name: 'discount_campaign',
  parameter_format: 'NAMED',
  language: 'en',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'As a valued {{customertier}} member, a {{offertype}} for you. Thank you, {{customertier}}!' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Visit', url: 'https://test.com/' }, { type: 'VOICE_CALL', text: 'Call' }] },
  ],
};

const POSITIONAL: TemplateDefinition = {
  id: 9,
  template_id: '9',
  name: 'order_update',
  parameter_format: 'POSITIONAL',
  language: 'en_US',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, order {{2}} has shipped.' },
  ],
};

function rendered(msgParam: TemplateMessage, variables: Record<string, string>): TemplateMessage {
  const result = renderContent({ contentType: 'template', content: null, msgParam }, variables);
  if (!result.ok || result.content.kind !== 'template') throw new Error('not rendered');
  return result.content.template;
}

describe('buildTemplateMessage', () => {
  it('NAMED: one parameter per distinct placeholder, filled by name; the media header takes the file; buttons as seed 000', () => {
    const file = { id: 'f1', name: 'demo.jpeg', uri: '20250725/f1', type: 'image/jpeg', size: 10 };
    const built = buildTemplateMessage(DISCOUNT, { headerFile: file });
    if (!built.ok) throw new Error(built.problem.message);
    expect(built.variables).toEqual(['customertier', 'offertype']);
    expect(validateTemplateParameters(DISCOUNT, built.msgParam)).toEqual([]);
    expect(rendered(built.msgParam, { customertier: 'VIP', offertype: 'discount' })).toEqual({
      id: 1773,
      template_id: '1293546285747227',
      name: 'discount_campaign',
      language: { code: 'en' },
      parameter_format: 'NAMED',
      components: [
        { type: 'HEADER', parameters: [{ type: 'IMAGE', file_list: [file] }] },
        {
          type: 'BODY',
          parameters: [
            { type: 'TEXT', text: 'VIP', parameter_name: 'customertier' },
            { type: 'TEXT', text: 'discount', parameter_name: 'offertype' },
          ],
        },
        { type: 'BUTTONS', parameters: [{ type: 'URL', text: '' }, { type: 'VOICE_CALL', text: '' }] },
      ],
    });
  });

  it('POSITIONAL: variables count across header then body, as the render step counts', () => {
    const built = buildTemplateMessage(POSITIONAL);
    if (!built.ok) throw new Error(built.problem.message);
    expect(built.variables).toEqual(['1', '2', '3']);
    expect(validateTemplateParameters(POSITIONAL, built.msgParam)).toEqual([]);
    const out = rendered(built.msgParam, { '1': 'A-17', '2': 'Ann', '3': 'A-17' });
    expect(out.components).toEqual([
      { type: 'HEADER', parameters: [{ type: 'TEXT', text: 'A-17' }] },
      { type: 'BODY', parameters: [{ type: 'TEXT', text: 'Ann' }, { type: 'TEXT', text: 'A-17' }] },
    ]);
  });

  it('stores placeholders, not values, so an unfilled one shows which variable it was', () => {
    const built = buildTemplateMessage(POSITIONAL);
    if (!built.ok) throw new Error(built.problem.message);
    expect(JSON.stringify(built.msgParam)).toContain('{{3}}');
  });

  it('refuses a media header without a file, and a URL button with a placeholder', () => {
    expect(buildTemplateMessage(DISCOUNT)).toMatchObject({ ok: false, problem: { field: 'template_header_file' } });
    const dynamicButton: TemplateDefinition = {
      ...POSITIONAL,
      components: [{ type: 'BODY', text: 'Hi' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://x.test/{{1}}' }] }],
    };
    expect(buildTemplateMessage(dynamicButton)).toMatchObject({ ok: false, problem: { field: 'template_name' } });
  });
});
