/**
 * Checks a template message (seed 000/001's msg_param) against the template definition the
 * provider lists, before a campaign is accepted: the count and naming of the BODY parameters must
 * match the placeholders of the BODY text, or Meta refuses every send (error 132000).
 *
 * - NAMED: the text's `{{name}}` placeholders and the parameters' `parameter_name`s must be the
 *   same set — none missing, none unknown, none twice.
 * - POSITIONAL: the text uses `{{1}}` … `{{N}}`; exactly N parameters, in order.
 * Also reported: a different name or language, or a different parameter_format.
 * Pure: no I/O. Returns every problem, not just the first, so a caller can show them all.
 */
import type { TemplateDefinition, TemplateMessage } from './types.js';

export interface TemplateProblem {
  /** Path in the template message (e.g. `components[1].parameters`). */
  field: string;
  message: string;
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The distinct placeholders of a template text, in first-use order. */
export function templatePlaceholders(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) seen.add(match[1]!);
  return [...seen];
}

/** Every problem of `message` against `template`; empty when it can be sent. */
export function validateTemplateParameters(
  template: Pick<TemplateDefinition, 'name' | 'language' | 'parameter_format' | 'components'>,
  message: TemplateMessage,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (message.name !== template.name) problems.push({ field: 'name', message: `names template "${message.name}", not "${template.name}"` });
  if (message.language?.code !== template.language) {
    problems.push({ field: 'language.code', message: `is "${String(message.language?.code)}"; the template is in "${template.language}"` });
  }
  const format = template.parameter_format;
  if (message.parameter_format !== undefined && message.parameter_format !== format) {
    problems.push({ field: 'parameter_format', message: `is ${message.parameter_format}; the template's parameters are ${format}` });
  }

  const bodyDef = template.components.find((c) => c.type.toUpperCase() === 'BODY');
  const placeholders = typeof bodyDef?.text === 'string' ? templatePlaceholders(bodyDef.text) : [];
  const components = message.components ?? [];
  const bodyIndex = components.findIndex((c) => c.type.toUpperCase() === 'BODY');
  const field = bodyIndex === -1 ? 'components' : `components[${bodyIndex}].parameters`;
  const params = bodyIndex === -1 ? [] : (components[bodyIndex]!.parameters ?? []);

  if (format === 'NAMED') {
    const names = params.map((p) => (typeof p.parameter_name === 'string' ? p.parameter_name : ''));
    names.forEach((name, i) => {
      if (name === '') problems.push({ field: `${field}[${i}].parameter_name`, message: 'is required for a NAMED template' });
      else if (names.indexOf(name) !== i) problems.push({ field: `${field}[${i}].parameter_name`, message: `"${name}" is given twice` });
    });
    const missing = placeholders.filter((p) => !names.includes(p));
    const unknown = [...new Set(names.filter((n) => n !== '' && !placeholders.includes(n)))];
    if (missing.length > 0) problems.push({ field, message: `missing BODY parameters: ${missing.join(', ')}` });
    if (unknown.length > 0) problems.push({ field, message: `the BODY has no placeholders named ${unknown.join(', ')}` });
  } else {
    const positions = placeholders.map(Number);
    const expected = positions.length === 0 ? 0 : Math.max(...positions);
    if (positions.some((n) => !Number.isInteger(n) || n < 1) || positions.length !== expected) {
      problems.push({ field: 'components', message: `the template's BODY placeholders are not {{1}}…{{N}}: ${placeholders.join(', ')}` });
    } else if (params.length !== expected) {
      problems.push({ field, message: `the BODY takes ${expected} parameter(s); ${params.length} given` });
    }
  }
  params.forEach((p, i) => {
    if (String(p.type).toUpperCase() === 'TEXT' && (typeof p.text !== 'string' || p.text === '')) {
      problems.push({ field: `${field}[${i}].text`, message: 'is required and may not be empty' });
    }
  });
  return problems;
}
