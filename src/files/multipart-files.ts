/**
 * Reads the files of a `multipart/form-data` body (form field `files`, any number of parts) as it
 * streams in, with busboy, refusing the body as soon as the files together pass the limit.
 *
 * The files end up in memory: the provider's upload call (Yeastar batchupload) sends them in one
 * multipart request and may need to send it twice (a token that expired in between), so it takes
 * Buffers. The limit (the provider's own, 100 MB in total) bounds that memory per request; parts in
 * other fields are drained and ignored.
 */
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError } from '../errors/index.js';
import type { UploadFile } from '../providers/types.js';

/** The form field the files come in (the same name Yeastar's batchupload uses). */
export const FILES_FIELD = 'files';
/** At most this many parts: one upload is a campaign's file or two, not an archive. */
export const MAX_FILE_PARTS = 20;

export interface MultipartLimits {
  /** The most bytes the files may have together. */
  maxBytes: number;
}

/** The base name of a client's file name (browsers and curl may send a path, as seed 000's does). */
function baseName(raw: string | undefined): string {
  const name = (raw ?? '').split(/[\\/]/).pop() ?? '';
  return name.trim();
}

/**
 * Parses `body` (the raw request stream) with the request's `content-type` header.
 * @throws AppError PAYLOAD_TOO_LARGE (413) past `maxBytes`; NO_FILES when no part is in `files`;
 *   VALIDATION_FAILED for a malformed body, a file without a name or too many parts;
 *   UPLOAD_INCOMPLETE when the client stops sending before the end.
 */
export function readMultipartFiles(body: Readable, contentType: string | undefined, limits: MultipartLimits): Promise<UploadFile[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType ?? '' },
        limits: { files: MAX_FILE_PARTS, parts: MAX_FILE_PARTS * 2, fileSize: limits.maxBytes + 1 },
      });
    } catch (err) {
      reject(new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the files as multipart/form-data with a boundary', { cause: err }));
      return;
    }
    const files: UploadFile[] = [];
    let total = 0;
    let settled = false;

    const fail = (err: AppError): void => {
      if (settled) return;
      settled = true;
      body.unpipe(parser);
      body.resume(); // drain what the client still sends; the route closes the connection
      reject(err);
    };

    parser.on('file', (field, stream, info) => {
      if (field !== FILES_FIELD) {
        stream.resume();
        return;
      }
      const name = baseName(info.filename);
      if (name === '') {
        stream.resume();
        fail(new AppError('VALIDATION_FAILED', `files[${files.length}] has no file name`, { field: `files[${files.length}]` }));
        return;
      }
      const chunks: Buffer[] = [];
      const file: UploadFile = { name, type: info.mimeType || 'application/octet-stream', data: Buffer.alloc(0) };
      files.push(file);
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.maxBytes) {
          stream.resume();
          fail(new AppError('PAYLOAD_TOO_LARGE', `the files total more than ${limits.maxBytes} bytes`, { details: { limit: limits.maxBytes } }));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        file.data = Buffer.concat(chunks);
      });
    });
    parser.on('filesLimit', () => fail(new AppError('VALIDATION_FAILED', `at most ${MAX_FILE_PARTS} files per upload`, { field: FILES_FIELD })));
    parser.on('partsLimit', () => fail(new AppError('VALIDATION_FAILED', 'too many form parts', { field: FILES_FIELD })));
    parser.on('error', (err: Error) => fail(new AppError('VALIDATION_FAILED', `the multipart body cannot be read: ${err.message}`, { cause: err })));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      if (files.length === 0) reject(new AppError('NO_FILES', `put the file(s) in the form field "${FILES_FIELD}"`, { field: FILES_FIELD }));
      else resolve(files);
    });
    body.on('aborted', () => fail(new AppError('UPLOAD_INCOMPLETE', 'the client closed the connection before the upload was complete')));
    body.pipe(parser);
  });
}
