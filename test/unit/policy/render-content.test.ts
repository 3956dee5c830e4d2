import { fillPlaceholders, renderContent } from '../../../src/policy/render-content.js';

const namedTemplate = {
  id: 1773,
  template_id: '1293546285747227',
  name: 'discount_campaign',
  language: { code: 'en' },
  parameter_format: 'NAMED',
  components: [
    { type: 'HEADER', parameters: [{ type: 'TEXT', text: 'Hi', parameter_name: 'greeting' }] },
    {
      type: 'BODY',
      parameters: [
        { type: 'TEXT', text: 'VIP', parameter_name: 'customertier' },
        { type: 'TEXT', text: 'discount', parameter_name: 'offertype' },
      ],
    },
    { type: 'BUTTONS', parameters: [{ type: 'URL', text: '', parameter_name: 'customertier' }] },
  ],
};

describe('text placeholders', () => {
  it('fills known variables, tolerating spaces inside the braces', () => {
    expect(fillPlaceholders('Hello {{name}}, code {{ code }}!', { name: 'Ann', code: 42 })).toBe('Hello Ann, code 42!');
  });

  it('leaves unknown placeholders as written', () => {
    expect(fillPlaceholders('Hello {{name}} {{missing}}', { name: 'Ann' })).toBe('Hello Ann {{missing}}');
    expect(fillPlaceholders('Hello {{name}}', null)).toBe('Hello {{name}}');
  });

  it('renders a text campaign', () => {
    const r = renderContent({ contentType: 'text', content: 'Hi {{first}}', msgParam: null }, { first: 'Bo' });
    expect(r).toEqual({ ok: true, content: { kind: 'text', text: 'Hi Bo' } });
  });

  it('fails a text campaign with no content', () => {
    expect(renderContent({ contentType: 'text', content: null, msgParam: null }, {}).ok).toBe(false);
  });
});

describe('document content', () => {
  it('parses File_Info', () => {
    const content = JSON.stringify({ id: 'f1', name: 'demo.jpeg', uri: '20250725/f1', type: 'image/jpeg', size: 88555 });
    const r = renderContent({ contentType: 'document', content, msgParam: null }, null);
    expect(r).toEqual({ ok: true, content: { kind: 'document', file: JSON.parse(content) } });
  });

  it('fails on invalid JSON or a missing uri', () => {
    expect(renderContent({ contentType: 'document', content: '{nope', msgParam: null }, null).ok).toBe(false);
    expect(renderContent({ contentType: 'document', content: '{"name":"x"}', msgParam: null }, null).ok).toBe(false);
  });
});

describe('template content', () => {
  it('NAMED: fills HEADER and BODY TEXT parameters by parameter_name, leaves others', () => {
    const r = renderContent({ contentType: 'template', content: null, msgParam: namedTemplate }, { customertier: 'Gold', greeting: 'Hello' });
    if (!r.ok || r.content.kind !== 'template') throw new Error('expected a template');
    const [header, body, buttons] = r.content.template.components ?? [];
    expect(header?.parameters?.[0]?.text).toBe('Hello');
    expect(body?.parameters?.[0]?.text).toBe('Gold');
    // No variable: the campaign default stays.
    expect(body?.parameters?.[1]?.text).toBe('discount');
    // Buttons are not filled.
    expect(buttons?.parameters?.[0]?.text).toBe('');
    // The campaign object itself is untouched (it is cached and shared).
    expect(namedTemplate.components[1]?.parameters[0]?.text).toBe('VIP');
  });

  it('POSITIONAL: variables "1", "2", … fill TEXT parameters in order across HEADER and BODY', () => {
    const msgParam = {
      name: 'order_update',
      language: { code: 'en_US' },
      parameter_format: 'POSITIONAL',
      components: [
        { type: 'HEADER', parameters: [{ type: 'text', text: 'h' }] },
        { type: 'BODY', parameters: [{ type: 'TEXT', text: 'a' }, { type: 'IMAGE', image: { link: 'x' } }, { type: 'TEXT', text: 'b' }] },
      ],
    };
    const r = renderContent({ contentType: 'template', content: null, msgParam }, { '1': 'Ann', '2': 'A-1', '3': 7 });
    if (!r.ok || r.content.kind !== 'template') throw new Error('expected a template');
    const [header, body] = r.content.template.components ?? [];
    expect(header?.parameters?.[0]?.text).toBe('Ann');
    expect(body?.parameters?.[0]?.text).toBe('A-1');
    expect(body?.parameters?.[1]).toEqual({ type: 'IMAGE', image: { link: 'x' } });
    expect(body?.parameters?.[2]?.text).toBe('7');
  });

  it('POSITIONAL with missing variables keeps the defaults', () => {
    const msgParam = { name: 't', language: { code: 'en' }, parameter_format: 'POSITIONAL', components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'a' }, { type: 'TEXT', text: 'b' }] }] };
    const r = renderContent({ contentType: 'template', content: null, msgParam }, { '2': 'B' });
    if (!r.ok || r.content.kind !== 'template') throw new Error('expected a template');
    expect(r.content.template.components?.[0]?.parameters?.map((p) => p.text)).toEqual(['a', 'B']);
  });

  it('fails without a usable msg_param', () => {
    expect(renderContent({ contentType: 'template', content: null, msgParam: null }, {}).ok).toBe(false);
    expect(renderContent({ contentType: 'template', content: null, msgParam: { name: 'x' } }, {}).ok).toBe(false);
  });
});

describe('interactive content', () => {
  const list = {
    kind: 'list',
    header: { text: 'Hi {{name}}' },
    footer: 'For {{ name }}',
    button: { id: 'b', text: 'Pick' },
    sections: [{ title: '{{section}}', rows: [{ id: 'r-{{name}}', text: 'Row', description: '{{missing}}' }] }],
  };

  it('fills placeholders in every string but kind, in a copy', () => {
    const rendered = renderContent({ contentType: 'interactive', content: null, msgParam: null, richContent: list }, { name: 'Ann', section: 'S1', kind: 'x' });
    expect(rendered).toEqual({
      ok: true,
      content: {
        kind: 'list',
        header: { text: 'Hi Ann' },
        footer: 'For Ann',
        button: { id: 'b', text: 'Pick' },
        sections: [{ title: 'S1', rows: [{ id: 'r-Ann', text: 'Row', description: '{{missing}}' }] }],
      },
    });
    expect(list.header.text).toBe('Hi {{name}}');
  });

  it('leaves numbers alone', () => {
    const location = { kind: 'location', latitude: 37.7749, longitude: -122.4194, name: '{{place}}' };
    expect(renderContent({ contentType: 'interactive', content: null, msgParam: null, richContent: location }, { place: 'SF' })).toEqual({
      ok: true,
      content: { kind: 'location', latitude: 37.7749, longitude: -122.4194, name: 'SF' },
    });
  });

  it('fails without a rich message object', () => {
    expect(renderContent({ contentType: 'interactive', content: null, msgParam: null, richContent: { kind: 'text', text: 'x' } }, null)).toMatchObject({ ok: false });
    expect(renderContent({ contentType: 'interactive', content: null, msgParam: null }, null)).toMatchObject({ ok: false });
  });
});
