/**
 * Turns a campaign's stored content plus one recipient's variables into the MessageContent a
 * provider client sends. Pure: no I/O, no clock. Returns a result instead of throwing, because a
 * campaign whose content cannot be rendered is a permanent failure of that recipient, not a crash.
 *
 * Rules
 * - text: every `{{name}}` (whitespace inside the braces allowed) whose name is a key of the
 *   recipient's variables becomes that value. An unknown placeholder is left as written: the ledger
 *   and the provider then show exactly which variable was missing, where an empty string would
 *   silently send "Hello ," to a customer and hide the data problem.
 * - document: `content` is seed 001's File_Info JSON string (one object; an array's first element is
 *   accepted too). The file must carry a `uri`.
 * - template: `msg_param` is seed 001's template message object; a deep copy has its HEADER and BODY
 *   TEXT parameters filled:
 *   - NAMED: a parameter whose `parameter_name` is a variable key gets that value as `text`;
 *   - POSITIONAL: the TEXT parameters of HEADER and BODY, counted 1, 2, … across components in the
 *     order msg_param lists them, get variables "1", "2", …. One counter across components (not one
 *     per component) so a header {{1}} and a body {{1}} cannot both claim variable "1".
 *   A parameter with no matching variable keeps the text msg_param gave it (the campaign default).
 * - interactive: `richContent` is a MessageContent of a rich kind (attachment, location, list,
 *   reply_buttons, product, multi_product — src/providers/message-content.ts). A deep copy has
 *   `{{name}}` filled, by the text rule above, in every string it holds except `kind`: body and
 *   header text, footer, button and row texts, captions, location names — and URLs and ids too,
 *   so a personalised link works. Numbers (a location's coordinates) are left alone.
 */
import { CONTENT_KINDS, type FileInfo, type MessageContent, type TemplateMessage } from '../providers/types.js';

export type CampaignContentType = 'text' | 'document' | 'template' | 'interactive';

/** The content kinds `interactive` carries: everything but the three with a content_type of their own. */
export const RICH_KINDS = CONTENT_KINDS.filter((k) => k !== 'text' && k !== 'document' && k !== 'template');
export type RichKind = (typeof RICH_KINDS)[number];

export interface CampaignContent {
  contentType: CampaignContentType;
  /** Text for text campaigns; the File_Info JSON string for document campaigns. */
  content: string | null;
  /** The template message object (already parsed JSON) for template campaigns. */
  msgParam: unknown;
  /** The rich message object (a MessageContent of a RichKind) for interactive campaigns. */
  richContent?: unknown;
}

/** A recipient's variables as stored (JSON object, or null). */
export type RecipientVariables = Record<string, unknown> | null | undefined;

export type RenderResult = { ok: true; content: MessageContent } | { ok: false; reason: string };

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const FILLED_COMPONENTS = new Set(['HEADER', 'BODY']);

/** Fills `{{variable}}` placeholders; unknown ones are left as they are (see module comment). */
export function fillPlaceholders(text: string, variables: RecipientVariables): string {
  if (!variables) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(variables, name) ? stringify(variables[name]) : whole,
  );
}

/** Renders one recipient's message from the campaign's content. */
export function renderContent(campaign: CampaignContent, variables: RecipientVariables): RenderResult {
  switch (campaign.contentType) {
    case 'text': {
      if (!campaign.content) return { ok: false, reason: 'text campaign has no content' };
      return { ok: true, content: { kind: 'text', text: fillPlaceholders(campaign.content, variables) } };
    }
    case 'document':
      return renderDocument(campaign.content);
    case 'template':
      return renderTemplate(campaign.msgParam, variables);
    case 'interactive':
      return renderRich(campaign.richContent, variables);
    default:
      return { ok: false, reason: `unknown content type ${String(campaign.contentType)}` };
  }
}

function renderDocument(content: string | null): RenderResult {
  if (!content) return { ok: false, reason: 'document campaign has no File_Info content' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { ok: false, reason: 'document content is not valid File_Info JSON' };
  }
  const file = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!isObject(file) || typeof file.uri !== 'string' || file.uri === '') {
    return { ok: false, reason: 'document File_Info has no uri' };
  }
  return { ok: true, content: { kind: 'document', file: file as unknown as FileInfo } };
}

function renderTemplate(msgParam: unknown, variables: RecipientVariables): RenderResult {
  if (!isObject(msgParam) || typeof msgParam.name !== 'string' || !isObject(msgParam.language)) {
    return { ok: false, reason: 'template campaign has no valid msg_param (name and language required)' };
  }
  // structuredClone: the campaign object is cached and shared by every recipient's send.
  const template = structuredClone(msgParam) as unknown as TemplateMessage;
  const positional = template.parameter_format === 'POSITIONAL';
  let position = 0;
  for (const component of template.components ?? []) {
    if (!FILLED_COMPONENTS.has(String(component.type).toUpperCase())) continue;
    for (const parameter of component.parameters ?? []) {
      if (String(parameter.type).toUpperCase() !== 'TEXT') continue;
      position += 1;
      const key = positional ? String(position) : parameter.parameter_name;
      if (typeof key !== 'string' || !variables || !Object.prototype.hasOwnProperty.call(variables, key)) continue;
      parameter.text = stringify(variables[key]);
    }
  }
  return { ok: true, content: { kind: 'template', template } };
}

function renderRich(richContent: unknown, variables: RecipientVariables): RenderResult {
  if (!isObject(richContent) || !(RICH_KINDS as readonly unknown[]).includes(richContent.kind)) {
    return { ok: false, reason: `interactive content needs a message object whose kind is one of ${RICH_KINDS.join(', ')}` };
  }
  return { ok: true, content: fillStrings(richContent, variables) as unknown as MessageContent };
}

/** A deep copy of `value` with placeholders filled in every string but the `kind` discriminator. */
function fillStrings(value: unknown, variables: RecipientVariables, key?: string): unknown {
  if (typeof value === 'string') return key === 'kind' ? value : fillPlaceholders(value, variables);
  if (Array.isArray(value)) return value.map((item) => fillStrings(item, variables));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillStrings(v, variables, k)]));
  return value;
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
