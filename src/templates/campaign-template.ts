/**
 * The template step of campaign creation, run after the pure checks and before anything is written:
 *
 * - `template_name` given (instead of a full msg_param): the template is looked up in the channel's
 *   directory (exact name; `template_language` when given), its msg_param is built with a
 *   placeholder per variable (template-message.ts), and the variables every recipient must carry
 *   are returned for the caller to check.
 * - a full `msg_param` on a channel with a template directory (Yeastar): it is checked against the
 *   template the provider lists — name, language, format and BODY parameters — so a campaign that
 *   Meta would refuse for every recipient (132000) is refused now, with the field at fault.
 * - a full `msg_param` on a channel without one (Connectly): taken as given; the provider checks it
 *   at send time (TEMPLATE_NOT_FOUND / TEMPLATE_INPUT_INVALID land in the ledger).
 *
 * A provider that cannot be reached makes the request fail with 503 DEPENDENCY_UNAVAILABLE (the
 * client retries); nothing has been written by then.
 */
import { AppError } from '../errors/index.js';
import { validateTemplateParameters } from '../providers/template-validation.js';
import type { ChannelSpec, FileInfo, TemplateDirectory, TemplateMessage } from '../providers/types.js';
import { listedTemplatesOf, templateDirectoryOf, type CapabilitySource } from '../channels/channel-capabilities.js';
import { findTemplate } from './find-template.js';
import { buildTemplateMessage } from './template-message.js';

export interface CampaignTemplateInput {
  template_name?: string;
  template_language?: string;
  /** The media header's file (a File_Info from the upload route), as an object or a JSON string. */
  template_header_file?: string | object;
  /** The parsed msg_param, when one was given in full. */
  msgParam: Record<string, unknown> | null;
}

export interface ResolvedTemplate {
  /** The msg_param to store (the built one, or the given one unchanged); null when there is none. */
  msgParam: Record<string, unknown> | null;
  /** Variables every recipient must carry (only for a template built from its name). */
  requiredVariables: string[];
}

/**
 * @throws AppError VALIDATION_FAILED, CONTENT_NOT_SUPPORTED, CAPABILITY_NOT_SUPPORTED, TEMPLATE_NOT_FOUND,
 *   TEMPLATE_PARAMETERS_INVALID, DEPENDENCY_UNAVAILABLE (provider unreachable, or no provider access).
 */
export async function resolveCampaignTemplate(
  providers: CapabilitySource | undefined,
  channel: ChannelSpec,
  input: CampaignTemplateInput,
): Promise<ResolvedTemplate> {
  if (input.template_name === undefined) {
    if (input.msgParam === null || !providers) return { msgParam: input.msgParam, requiredVariables: [] };
    const directory = listedTemplatesOf(providers, channel);
    if (directory) await checkAgainstDirectory(directory, input.msgParam);
    return { msgParam: input.msgParam, requiredVariables: [] };
  }

  if (input.msgParam !== null) {
    throw new AppError('VALIDATION_FAILED', 'give either template_name or msg_param, not both', { field: 'template_name' });
  }
  if (channel.kind !== 'whatsapp') {
    throw new AppError('CONTENT_NOT_SUPPORTED', `templates are sent on whatsapp channels only; this channel is ${channel.kind}`, {
      field: 'template_name',
    });
  }
  const directory = templateDirectoryOf(requireProviders(providers), channel);
  const template = await findTemplate(directory, { name: input.template_name, language: input.template_language });
  const headerFile = input.template_header_file === undefined ? undefined : parseFileInfo(input.template_header_file);
  const built = buildTemplateMessage(template, { headerFile });
  if (!built.ok) throw new AppError('TEMPLATE_PARAMETERS_INVALID', built.problem.message, { field: built.problem.field });
  // The built message must pass the same check a hand-written one does (it fails only for a
  // template whose POSITIONAL placeholders are not {{1}}…{{N}}).
  const problem = validateTemplateParameters(template, built.msgParam)[0];
  if (problem) {
    throw new AppError('TEMPLATE_PARAMETERS_INVALID', `template ${template.name} cannot be filled from variables: ${problem.message}`, {
      field: 'template_name',
    });
  }
  return { msgParam: built.msgParam as unknown as Record<string, unknown>, requiredVariables: built.variables };
}

async function checkAgainstDirectory(directory: TemplateDirectory, msgParam: Record<string, unknown>): Promise<void> {
  const message = msgParam as unknown as TemplateMessage;
  let template;
  try {
    template = await findTemplate(directory, { name: message.name, language: message.language.code });
  } catch (err) {
    if (err instanceof AppError && err.code === 'TEMPLATE_NOT_FOUND') {
      throw new AppError('TEMPLATE_NOT_FOUND', err.message, { field: 'msg_param.name' });
    }
    throw err;
  }
  const problems = validateTemplateParameters(template, message);
  const first = problems[0];
  if (first) {
    throw new AppError('TEMPLATE_PARAMETERS_INVALID', `msg_param.${first.field} ${first.message}`, {
      field: `msg_param.${first.field}`,
      details: { problems: problems.map((p) => ({ field: `msg_param.${p.field}`, message: p.message })) },
    });
  }
}

function requireProviders(providers: CapabilitySource | undefined): CapabilitySource {
  if (providers) return providers;
  throw new AppError('DEPENDENCY_UNAVAILABLE', 'this API process has no provider access configured; template lookups are unavailable', {
    retryable: false,
  });
}

function parseFileInfo(raw: string | object): FileInfo {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
  }
  const file = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof file !== 'object' || file === null || typeof (file as FileInfo).uri !== 'string' || (file as FileInfo).uri === '') {
    throw new AppError('VALIDATION_FAILED', 'template_header_file must be a File_Info (object or JSON string) with a uri', {
      field: 'template_header_file',
    });
  }
  return file as FileInfo;
}
