/**
 * The API's door to a channel's provider abilities beyond sending (template lookup, file upload),
 * and the one place where a provider failure met during a request becomes an HTTP answer.
 *
 * Failure mapping, and why:
 * - retryable / rate_limited (timeouts, 5xx, 429, unreachable host): the provider may answer in a
 *   moment, so 503 DEPENDENCY_UNAVAILABLE — the client retries the same request later; nothing was
 *   written on our side.
 * - auth / permanent (wrong credentials, a misconfigured channel, a refused request): kept as the
 *   ProviderError it is (PROVIDER_AUTH / PROVIDER_PERMANENT, 502) with the provider's own code in
 *   `details`, because retrying will not help and the operator must fix the channel.
 */
import { AppError } from '../errors/index.js';
import { isProviderError } from '../providers/provider-error.js';
import type { ChannelSpec, FileUploader, ProviderCapabilities, TemplateDirectory } from '../providers/types.js';

/** What the API needs of the provider registry (src/providers/registry.ts). */
export interface CapabilitySource {
  capabilitiesFor(channel: ChannelSpec): ProviderCapabilities;
}

/**
 * The channel's template directory.
 * @throws AppError CAPABILITY_NOT_SUPPORTED (400) when its provider lists no templates (Connectly).
 */
export function templateDirectoryOf(providers: CapabilitySource, channel: ChannelSpec): TemplateDirectory {
  const templates = capabilities(providers, channel).templates;
  if (!templates) {
    throw new AppError('CAPABILITY_NOT_SUPPORTED', `${channel.provider} channels have no template directory; send a full msg_param instead`, {
      details: { provider: channel.provider, capability: 'templates' },
    });
  }
  return templates;
}

/** The channel's template directory, or undefined when its provider has none (no error). */
export function listedTemplatesOf(providers: CapabilitySource, channel: ChannelSpec): TemplateDirectory | undefined {
  return capabilities(providers, channel).templates;
}

/**
 * The channel's file uploader.
 * @throws AppError CAPABILITY_NOT_SUPPORTED (400) when its provider stores no files (Connectly:
 *   documents are sent by a public https URL in the File_Info `uri`).
 */
export function uploaderOf(providers: CapabilitySource, channel: ChannelSpec): FileUploader {
  const uploader = capabilities(providers, channel).uploader;
  if (!uploader) {
    throw new AppError(
      'CAPABILITY_NOT_SUPPORTED',
      `${channel.provider} channels do not store files; give a document campaign a File_Info whose uri is a public https URL`,
      { details: { provider: channel.provider, capability: 'files' } },
    );
  }
  return uploader;
}

/** Runs one provider call for a request, mapping its failures as the module comment says. */
export async function callProvider<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw asRequestError(err, what);
  }
}

function capabilities(providers: CapabilitySource, channel: ChannelSpec): ProviderCapabilities {
  try {
    return providers.capabilitiesFor(channel);
  } catch (err) {
    throw asRequestError(err, 'reading the channel settings');
  }
}

function asRequestError(err: unknown, what: string): unknown {
  if (!isProviderError(err)) return err;
  const details = { provider: err.provider, provider_code: err.providerCode, provider_message: err.providerMessage };
  if (err.errorClass === 'retryable' || err.errorClass === 'rate_limited') {
    return new AppError('DEPENDENCY_UNAVAILABLE', `${err.provider} could not be reached while ${what}; retry later`, {
      cause: err,
      retryable: true,
      details,
    });
  }
  return new AppError(err.code, `${err.provider} refused ${what}: ${err.providerCode} ${err.providerMessage}`.trim(), {
    cause: err,
    details,
    ...(err.field === undefined ? {} : { field: err.field }),
  });
}
