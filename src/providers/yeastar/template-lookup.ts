/**
 * GET message_channel/whatsapp_template (seed 000): the query string for a search, and the answer
 * turned into TemplateDefinitions with `components_data` (a JSON string) parsed.
 */
import { isRecord } from '../answer-utils.js';
import type { TemplateDefinition, TemplateDefinitionComponent, TemplateQuery } from '../types.js';
import type { YeastarTemplateInfo } from './response-parser.js';

/** The PBX's page size when none is asked for (UNVERIFIED; we always send one). */
export const DEFAULT_TEMPLATE_PAGE_SIZE = 20;

/** The query parameters of a search, without the access token. */
export function templateQueryParams(query: TemplateQuery = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (query.search !== undefined && query.search !== '') params.set('search_value', query.search);
  params.set('page', String(positive(query.page, 1)));
  params.set('page_size', String(positive(query.pageSize, DEFAULT_TEMPLATE_PAGE_SIZE)));
  return params;
}

/**
 * One listed template as a TemplateDefinition. A `components_data` that is missing or not a JSON
 * array gives no components (the template is still listed; validation will then report it).
 */
export function toTemplateDefinition(info: YeastarTemplateInfo): TemplateDefinition {
  return {
    id: info.id,
    template_id: String(info.template_id),
    name: info.name,
    parameter_format: info.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    language: info.language,
    ...(info.category === undefined ? {} : { category: info.category }),
    components: parseComponents(info.components_data),
  };
}

function parseComponents(data: unknown): TemplateDefinitionComponent[] {
  if (typeof data !== 'string' || data === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((c): c is TemplateDefinitionComponent => isRecord(c) && typeof c.type === 'string');
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
