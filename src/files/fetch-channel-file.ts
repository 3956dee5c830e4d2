/**
 * Upload-once from a URL: `POST /v1/channels/:id/files` with `{url, name?}` downloads the file
 * (through the SSRF guard, src/security/guarded-fetch.ts) and stores it with the channel's provider
 * exactly as a multipart upload would, answering the same File_Info list.
 *
 * The channel and its ability to store files are checked before anything is downloaded, so a
 * Connectly channel or an unknown id costs no outbound request. The download is held in memory
 * (the uploader takes Buffers, see multipart-files.ts) and capped at the provider's upload limit.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../observability/logger.js';
import type { FileInfo } from '../providers/types.js';
import { callProvider, uploaderOf, type CapabilitySource } from '../channels/channel-capabilities.js';
import { requireChannelSpec } from '../channels/channel-spec.js';
import { guardedFetch, type FetchPolicy, type Resolver } from '../security/guarded-fetch.js';
import type { Keyring } from '../security/keyring.js';
import { MAX_FILES_BYTES } from './upload-channel-files.js';

/** How long one download may take, redirects included. */
export const URL_FETCH_TIMEOUT_MS = 30_000;
const MAX_NAME_LENGTH = 200;

export interface FetchChannelFileDeps {
  prisma: PrismaClient;
  providers: CapabilitySource;
  keyring: Keyring;
  log: Logger;
  /** FETCH_ALLOW_HOSTS. */
  allowHosts: readonly string[];
  /** Overrides for tests (a shorter timeout, a smaller cap, a fake resolver). */
  fetchPolicy?: Partial<Pick<FetchPolicy, 'timeoutMs' | 'maxBytes'>>;
  resolve?: Resolver;
}

export interface FetchChannelFileInput {
  channelId: string;
  url: string;
  /** The stored file's name; default the Content-Disposition name or the URL's last path segment. */
  name?: string;
}

/** A safe base name: no directories, no control characters, bounded length; `file` when nothing is left. */
export function fileNameFor(candidates: (string | undefined)[]): string {
  for (const candidate of candidates) {
    const base = (candidate ?? '').split(/[\\/]/).pop() ?? '';
    const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_NAME_LENGTH);
    if (clean !== '' && clean !== '.' && clean !== '..') return clean;
  }
  return 'file';
}

function lastPathSegment(url: URL): string | undefined {
  const segment = url.pathname.split('/').pop();
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * @throws AppError CHANNEL_NOT_FOUND, CAPABILITY_NOT_SUPPORTED (before downloading),
 *   VALIDATION_FAILED / URL_NOT_ALLOWED / URL_FETCH_FAILED / PAYLOAD_TOO_LARGE (the download),
 *   DEPENDENCY_UNAVAILABLE / PROVIDER_AUTH / PROVIDER_PERMANENT (the provider's upload).
 */
export async function fetchChannelFile(deps: FetchChannelFileDeps, input: FetchChannelFileInput): Promise<FileInfo[]> {
  const channel = await requireChannelSpec(deps.prisma, input.channelId, deps.keyring);
  const uploader = uploaderOf(deps.providers, channel);
  const policy: FetchPolicy = {
    allowHosts: deps.allowHosts,
    maxBytes: deps.fetchPolicy?.maxBytes ?? MAX_FILES_BYTES,
    timeoutMs: deps.fetchPolicy?.timeoutMs ?? URL_FETCH_TIMEOUT_MS,
  };
  const fetched = await guardedFetch(input.url, policy, deps.resolve);
  const name = fileNameFor([input.name, fetched.dispositionName, lastPathSegment(fetched.finalUrl)]);
  const file = { name, type: fetched.contentType ?? 'application/octet-stream', data: fetched.data };
  const uploaded = await callProvider('storing the file', () => uploader.uploadFiles([file]));
  // The URL's host only: its path and query may carry a signed token.
  deps.log.info({ channelId: channel.id, host: fetched.finalUrl.host, bytes: file.data.length }, 'file fetched from a URL and stored with the provider');
  return uploaded;
}
