/**
 * Builds a campaign's msg_param (seed 000/001's template message object) from a template
 * definition, with placeholders where each recipient's values go. Pure.
 *
 * The placeholders are shaped for the render step (src/policy/render-content.ts), which fills the
 * TEXT parameters of HEADER and BODY at send time:
 * - NAMED: each TEXT parameter carries `parameter_name` (the placeholder's name) and is filled
 *   from the recipient's variable of that name;
 * - POSITIONAL: TEXT parameters are counted 1, 2, … across HEADER then BODY, and filled from
 *   variables "1", "2", …. A template whose header says "{{1}}" and whose body says "{{1}} {{2}}"
 *   therefore needs variables "1" (header), "2" and "3" (body).
 * Each parameter's stored `text` is `{{<variable>}}`: a reader of the campaign sees which variable
 * goes where, and a value missing at send time would show as that placeholder, never as "".
 *
 * Other components:
 * - a media HEADER (IMAGE, VIDEO, DOCUMENT) takes one uploaded file (`headerFile`, a File_Info from
 *   POST /v1/channels/:id/files), as seed 000's `file_list`;
 * - BUTTONS get one parameter per button, `{type, text: ""}`, exactly as seed 000 sends them.
 *   Buttons whose URL has a placeholder need per-recipient values that the render step does not
 *   fill, so such templates are refused here (send a full msg_param instead).
 */
import type { FileInfo, TemplateComponent, TemplateDefinition, TemplateDefinitionComponent, TemplateMessage } from '../providers/types.js';
import { templatePlaceholders } from '../providers/template-validation.js';

export interface TemplateProblemAt {
  field: string;
  message: string;
}

export type BuiltTemplateMessage =
  | {
      ok: true;
      msgParam: TemplateMessage;
      /** The variables every recipient must carry, in the order the template uses them. */
      variables: string[];
    }
  | { ok: false; problem: TemplateProblemAt };

const MEDIA_HEADERS = new Set(['IMAGE', 'VIDEO', 'DOCUMENT']);

/** The template message for `template`; `headerFile` fills a media header. */
export function buildTemplateMessage(template: TemplateDefinition, options: { headerFile?: FileInfo } = {}): BuiltTemplateMessage {
  const named = template.parameter_format === 'NAMED';
  const variables: string[] = [];
  const components: TemplateComponent[] = [];

  const textParameters = (text: string | undefined): Record<string, unknown>[] =>
    (typeof text === 'string' ? templatePlaceholders(text) : []).map((placeholder) => {
      const variable = named ? placeholder : String(variables.length + 1);
      variables.push(variable);
      return named ? { type: 'TEXT', text: `{{${variable}}}`, parameter_name: placeholder } : { type: 'TEXT', text: `{{${variable}}}` };
    });

  const header = componentOf(template, 'HEADER');
  if (header) {
    const format = String(header.format ?? 'TEXT').toUpperCase();
    if (format === 'TEXT') {
      const parameters = textParameters(header.text);
      if (parameters.length > 0) components.push({ type: 'HEADER', parameters });
    } else if (MEDIA_HEADERS.has(format)) {
      if (!options.headerFile) {
        return refuse('template_header_file', `the template's header is a ${format}: upload it (POST /v1/channels/:id/files) and give its File_Info`);
      }
      components.push({ type: 'HEADER', parameters: [{ type: format, file_list: [options.headerFile] }] });
    } else {
      return refuse('template_name', `the template's ${format} header cannot be built from a name; send a full msg_param`);
    }
  }

  const body = componentOf(template, 'BODY');
  const bodyParameters = textParameters(body?.text);
  if (bodyParameters.length > 0) components.push({ type: 'BODY', parameters: bodyParameters });

  const buttons = componentOf(template, 'BUTTONS')?.buttons ?? [];
  if (buttons.some((b) => typeof b.url === 'string' && templatePlaceholders(b.url).length > 0)) {
    return refuse('template_name', 'the template has a URL button with a placeholder; send a full msg_param with its value');
  }
  if (buttons.length > 0) components.push({ type: 'BUTTONS', parameters: buttons.map((b) => ({ type: String(b.type ?? ''), text: '' })) });

  const msgParam: TemplateMessage = {
    id: template.id,
    template_id: template.template_id,
    name: template.name,
    language: { code: template.language },
    parameter_format: template.parameter_format,
    components,
  };
  return { ok: true, msgParam, variables: [...new Set(variables)] };
}

function componentOf(template: TemplateDefinition, type: string): TemplateDefinitionComponent | undefined {
  return template.components.find((c) => c.type.toUpperCase() === type);
}

function refuse(field: string, message: string): BuiltTemplateMessage {
  return { ok: false, problem: { field, message } };
}
