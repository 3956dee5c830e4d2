/**
 * Finds one approved template by its exact name (and language, when given) in a channel's
 * template directory.
 *
 * The directory's search is a substring match on names ("discount" lists "discount_campaign" and
 * "discount_campaign_v2"), so the pages of that search are read until an exact match turns up or
 * the list ends. Pages are the largest the PBX serves, and the number read is bounded: a search for
 * one name that matches thousands of templates is not a case worth unbounded calls.
 */
import { AppError } from '../errors/index.js';
import type { TemplateDefinition, TemplateDirectory } from '../providers/types.js';
import { callProvider } from '../channels/channel-capabilities.js';

/** The largest page the PBX serves (its simulator caps page_size at 100; UNVERIFIED for the PBX). */
export const TEMPLATE_SEARCH_PAGE_SIZE = 100;
/** At most this many pages of one search are read. */
export const TEMPLATE_SEARCH_MAX_PAGES = 10;

export interface TemplateSelector {
  name: string;
  /** Meta language code (en, en_US…); any language when absent. */
  language?: string;
}

/**
 * The template named `selector.name`. When several languages share the name and none was asked
 * for, the first listed is taken — and its language is reported back in the campaign's msg_param.
 * @throws AppError TEMPLATE_NOT_FOUND (field template_name); DEPENDENCY_UNAVAILABLE when the
 *   provider cannot be reached (see channel-capabilities.ts).
 */
export async function findTemplate(directory: TemplateDirectory, selector: TemplateSelector): Promise<TemplateDefinition> {
  const matches = (t: TemplateDefinition): boolean =>
    t.name === selector.name && (selector.language === undefined || t.language === selector.language);
  let seen = 0;
  for (let page = 1; page <= TEMPLATE_SEARCH_MAX_PAGES; page++) {
    const result = await callProvider('looking up the template', () =>
      directory.searchTemplates({ search: selector.name, page, pageSize: TEMPLATE_SEARCH_PAGE_SIZE }),
    );
    const found = result.templates.find(matches);
    if (found) return found;
    seen += result.templates.length;
    if (result.templates.length < TEMPLATE_SEARCH_PAGE_SIZE || seen >= result.total) break;
  }
  const language = selector.language === undefined ? '' : ` in language ${JSON.stringify(selector.language)}`;
  throw new AppError('TEMPLATE_NOT_FOUND', `the channel has no approved template named ${JSON.stringify(selector.name)}${language}`, {
    field: 'template_name',
  });
}
