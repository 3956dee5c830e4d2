/**
 * Maps our template object (seed 000/001's MSG_Param, i.e. Meta's components with Yeastar's
 * `file_list` for media) to Connectly's flat parameter list
 * (https://docs.connectly.ai/messaging/template-messages):
 * - BODY, NAMED format (or a parameter with `parameter_name`) → `{ name: parameter_name, value: text }`
 * - BODY, POSITIONAL → `body_1` … `body_N` in order
 * - HEADER TEXT / IMAGE / DOCUMENT / VIDEO → `header_text` / `header_image` / `header_document` /
 *   `header_video` (UNVERIFIED name), value = the media URL, with `filename` for documents
 * - BUTTONS, a URL button with a non-empty value → `button_N_url`, N = the button's 1-based position
 *   (UNVERIFIED numbering); buttons with an empty value are static and send nothing.
 *
 * Media must be a URL Connectly can fetch: a Yeastar `file_list` uri (PBX-relative, e.g.
 * "20250725/65a7…") is passed through unchanged and is the caller's responsibility.
 * Pure: no I/O. Throws a permanent ProviderError for a parameter it cannot express.
 */
import { isRecord } from '../answer-utils.js';
import { ProviderError } from '../provider-error.js';
import type { TemplateMessage } from '../types.js';

export interface ConnectlyTemplateParameter {
  name: string;
  value: string;
  filename?: string;
}

const HEADER_MEDIA: Readonly<Record<string, string>> = {
  IMAGE: 'header_image',
  DOCUMENT: 'header_document',
  VIDEO: 'header_video',
};

/** Builds Connectly's `parameters` for a template message. */
export function toConnectlyParameters(template: TemplateMessage): ConnectlyTemplateParameter[] {
  const out: ConnectlyTemplateParameter[] = [];
  const named = template.parameter_format === 'NAMED';
  (template.components ?? []).forEach((component, ci) => {
    const type = component.type.toUpperCase();
    const params = component.parameters ?? [];
    if (type === 'HEADER') {
      const p = params[0];
      if (p) out.push(headerParameter(p, `components[${ci}].parameters[0]`));
    } else if (type === 'BODY') {
      params.forEach((p, pi) => {
        const path = `components[${ci}].parameters[${pi}]`;
        const value = textOf(p, path);
        const name = typeof p.parameter_name === 'string' && p.parameter_name !== '' ? p.parameter_name : undefined;
        if (named && !name) unsupported(path, 'NAMED template parameter without parameter_name');
        out.push({ name: name ?? `body_${pi + 1}`, value });
      });
    } else if (type === 'BUTTONS') {
      params.forEach((p, pi) => {
        const text = typeof p.text === 'string' ? p.text : '';
        if (text === '') return;
        const path = `components[${ci}].parameters[${pi}]`;
        if (String(p.type).toUpperCase() !== 'URL') unsupported(path, `button parameter of type ${String(p.type)}`);
        out.push({ name: `button_${pi + 1}_url`, value: text });
      });
    } else if (type === 'BUTTON') {
      // Meta's own shape: one component per button, `index` 0-based, `sub_type` url.
      const p = params[0];
      if (!p) return;
      const path = `components[${ci}]`;
      if (String(component.sub_type).toUpperCase() !== 'URL') unsupported(path, `button of sub_type ${String(component.sub_type)}`);
      out.push({ name: `button_${Number(component.index ?? 0) + 1}_url`, value: textOf(p, `${path}.parameters[0]`) });
    } else if (params.length > 0) {
      unsupported(`components[${ci}]`, `component ${component.type} with parameters`);
    }
  });
  return out;
}

function headerParameter(p: Record<string, unknown>, path: string): ConnectlyTemplateParameter {
  const type = String(p.type).toUpperCase();
  if (type === 'TEXT') return { name: 'header_text', value: textOf(p, path) };
  const name = HEADER_MEDIA[type];
  if (!name) unsupported(path, `header parameter of type ${String(p.type)}`);
  const media = mediaOf(p, type.toLowerCase());
  if (!media.url) unsupported(path, `${type} header without a url`);
  return type === 'DOCUMENT' && media.filename ? { name, value: media.url, filename: media.filename } : { name, value: media.url };
}

/** The media URL and file name, from Meta's `{image: {link}}` or Yeastar's `file_list[0]`. */
function mediaOf(p: Record<string, unknown>, key: string): { url?: string; filename?: string } {
  const nested = isRecord(p[key]) ? (p[key] as Record<string, unknown>) : undefined;
  const file = Array.isArray(p.file_list) && isRecord(p.file_list[0]) ? (p.file_list[0] as Record<string, unknown>) : undefined;
  const url = firstString(nested?.link, nested?.url, p.link, p.url, file?.uri);
  const filename = firstString(nested?.filename, p.filename, file?.name);
  return { url, filename };
}

function textOf(p: Record<string, unknown>, path: string): string {
  if (String(p.type).toUpperCase() !== 'TEXT' || typeof p.text !== 'string') unsupported(path, `parameter of type ${String(p.type)}`);
  return p.text;
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

function unsupported(field: string, what: string): never {
  throw new ProviderError({
    provider: 'connectly',
    errorClass: 'permanent',
    providerCode: 'TEMPLATE_PARAMETER_UNSUPPORTED',
    providerMessage: `cannot send ${what} through Connectly`,
    field,
  });
}
