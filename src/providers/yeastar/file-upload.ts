/**
 * message/batchupload (seed 000): files go up once as multipart field `files`, and come back as
 * File_Info to send by reference — a campaign's file is uploaded once, not once per recipient.
 */
import { ProviderError } from '../provider-error.js';
import type { UploadFile } from '../types.js';

/** The PBX's documented limit for one batchupload request (notes/providers.md): 100 MB in total. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/**
 * Builds the multipart body. Throws a permanent ProviderError before sending when there is nothing
 * to upload (NO_FILES) or the files exceed the limit together (FILES_TOO_LARGE).
 */
export function buildUploadForm(files: readonly UploadFile[], maxBytes = MAX_UPLOAD_BYTES): FormData {
  if (files.length === 0) refuse('NO_FILES', 'nothing to upload');
  const total = files.reduce((sum, f) => sum + f.data.length, 0);
  if (total > maxBytes) refuse('FILES_TOO_LARGE', `the files total ${total} bytes; one upload takes at most ${maxBytes}`);
  const form = new FormData();
  files.forEach((f, i) => {
    if (f.name.trim() === '') refuse('FILE_NAME_REQUIRED', `files[${i}] has no name`, `files[${i}].name`);
    // Buffers are never backed by a SharedArrayBuffer here; the cast only narrows Node's typing.
    form.append('files', new Blob([f.data as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  });
  return form;
}

function refuse(code: string, message: string, field = 'files'): never {
  throw new ProviderError({ provider: 'yeastar', errorClass: 'permanent', providerCode: code, providerMessage: message, field });
}
