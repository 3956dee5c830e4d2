/**
 * Upload-once for document campaigns: the client's files go to the channel's provider in one
 * request (Yeastar message/batchupload) and come back as File_Info. The client then creates a
 * `document` campaign whose `content` is that File_Info (seed 001's flow), and every recipient's
 * send refers to the same stored file — the file crosses the network once, not once per recipient.
 *
 * Connectly stores no files: its document campaigns take a File_Info whose `uri` is a public https
 * URL that Connectly fetches itself, so this answers CAPABILITY_NOT_SUPPORTED there.
 */
import type { Readable } from 'node:stream';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../observability/logger.js';
import type { FileInfo } from '../providers/types.js';
import { MAX_UPLOAD_BYTES } from '../providers/yeastar/file-upload.js';
import { callProvider, uploaderOf, type CapabilitySource } from '../channels/channel-capabilities.js';
import { requireChannelSpec } from '../channels/channel-spec.js';
import { readMultipartFiles } from './multipart-files.js';
import type { Keyring } from '../security/keyring.js';

/** The most bytes one upload takes: the provider's limit for one batchupload (100 MB in total). */
export const MAX_FILES_BYTES = MAX_UPLOAD_BYTES;

export interface UploadChannelFilesDeps {
  prisma: PrismaClient;
  providers: CapabilitySource;
  log: Logger;
  /** Decrypts the channel's credentials (config.credentialsKeyring). */
  keyring: Keyring;
}

export interface UploadChannelFilesInput {
  channelId: string;
  body: Readable;
  contentType: string | undefined;
}

/**
 * Checks the channel can store files, reads the body, uploads once.
 * @throws AppError CHANNEL_NOT_FOUND, CAPABILITY_NOT_SUPPORTED (before the body is read),
 *   PAYLOAD_TOO_LARGE, NO_FILES, VALIDATION_FAILED, DEPENDENCY_UNAVAILABLE (provider unreachable),
 *   PROVIDER_AUTH / PROVIDER_PERMANENT (the provider refused).
 */
export async function uploadChannelFiles(deps: UploadChannelFilesDeps, input: UploadChannelFilesInput): Promise<FileInfo[]> {
  const channel = await requireChannelSpec(deps.prisma, input.channelId, deps.keyring);
  const uploader = uploaderOf(deps.providers, channel);
  const files = await readMultipartFiles(input.body, input.contentType, { maxBytes: MAX_FILES_BYTES });
  const uploaded = await callProvider('storing the files', () => uploader.uploadFiles(files));
  deps.log.info({ channelId: channel.id, files: uploaded.length, bytes: files.reduce((n, f) => n + f.data.length, 0) }, 'files stored with the provider');
  return uploaded;
}
