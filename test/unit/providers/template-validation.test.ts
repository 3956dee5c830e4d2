/** Template parameters against the template definition: seed 000's NAMED example and a POSITIONAL one. */
import { loadSeed } from '../../fixtures/seeds/load.js';
import { templatePlaceholders, validateTemplateParameters } from '../../../src/providers/template-validation.js';
import type { TemplateMessage } from '../../../src/providers/types.js';
import { toTemplateDefinition } from '../../../src/providers/yeastar/template-lookup.js';
import { parseTemplateList } from '../../../src/providers/yeastar/response-parser.js';

const discount = toTemplateDefinition(parseTemplateList(loadSeed('yeastar-template-list-response'))!.templates[0]!);
const seedMessage = (): TemplateMessage => structuredClone(loadSeed<TemplateMessage>('yeastar-template-message'));

const positional = {
  name: 'order_update',
  language: 'en',
  parameter_format: 'POSITIONAL' as const,
  components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped. {{1}}!' }],
};
const positionalMessage = (texts: string[]): TemplateMessage => ({
  name: 'order_update',
  language: { code: 'en' },
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', parameters: texts.map((text) => ({ type: 'TEXT', text })) }],
});

describe('template parameter validation', () => {
  it("finds the BODY placeholders of seed 000's template", () => {
    expect(templatePlaceholders(discount.components[1]!.text!)).toEqual(['customertier', 'offertype', 'offerdetails', 'expirydate', 'companyname']);
  });

  it("accepts seed 000's own template message", () => {
    expect(validateTemplateParameters(discount, seedMessage())).toEqual([]);
  });

  it('reports missing, unknown, duplicate and unnamed NAMED parameters', () => {
    const message = seedMessage();
    const body = message.components![1]!.parameters!;
    body[0]!.parameter_name = 'tier'; // unknown, and customertier missing
    body[2]!.parameter_name = 'offertype'; // twice, and offerdetails missing
    delete body[4]!.parameter_name;
    expect(validateTemplateParameters(discount, message)).toEqual([
      { field: 'components[1].parameters[2].parameter_name', message: '"offertype" is given twice' },
      { field: 'components[1].parameters[4].parameter_name', message: 'is required for a NAMED template' },
      { field: 'components[1].parameters', message: 'missing BODY parameters: customertier, offerdetails, companyname' },
      { field: 'components[1].parameters', message: 'the BODY has no placeholders named tier' },
    ]);
  });

  it('counts POSITIONAL parameters against {{1}}…{{N}} (a placeholder used twice counts once)', () => {
    expect(validateTemplateParameters(positional, positionalMessage(['Ann', 'A-1']))).toEqual([]);
    expect(validateTemplateParameters(positional, positionalMessage(['Ann']))).toEqual([
      { field: 'components[0].parameters', message: 'the BODY takes 2 parameter(s); 1 given' },
    ]);
    expect(validateTemplateParameters(positional, positionalMessage(['Ann', '']))).toEqual([
      { field: 'components[0].parameters[1].text', message: 'is required and may not be empty' },
    ]);
  });

  it('reports a different name, language or format, and a BODY-less message', () => {
    const message: TemplateMessage = { name: 'other', language: { code: 'fr' }, parameter_format: 'NAMED' };
    expect(validateTemplateParameters(positional, message)).toEqual([
      { field: 'name', message: 'names template "other", not "order_update"' },
      { field: 'language.code', message: 'is "fr"; the template is in "en"' },
      { field: 'parameter_format', message: "is NAMED; the template's parameters are POSITIONAL" },
      { field: 'components', message: 'the BODY takes 2 parameter(s); 0 given' },
    ]);
  });
});
