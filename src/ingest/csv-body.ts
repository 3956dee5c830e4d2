/**
 * Taking `text/csv` bodies as streams. Fastify buffers a body before the handler runs unless a
 * content-type parser hands the raw stream through; this one does, in the encapsulated plugin that
 * registers it, so the rest of the API stays JSON-only.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/index.js';

/**
 * The largest CSV body taken: 2 GiB. A million recipients with a few variables each is ~100 MB;
 * the limit is there to end a runaway client, not to shape normal use. Memory does not grow with
 * the body (it streams), so the limit costs nothing until it is reached.
 */
export const CSV_BODY_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

const CSV_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** Registers the pass-through `text/csv` parser on `app` (an encapsulated plugin instance). */
export function acceptCsvBodies(app: FastifyInstance): void {
  app.addContentTypeParser('text/csv', { bodyLimit: CSV_BODY_LIMIT_BYTES }, (request, payload, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && !CSV_CHARSETS.has(charset)) {
      done(new AppError('UNSUPPORTED_MEDIA_TYPE', `CSV must be UTF-8 (got charset=${charset})`), undefined);
      return;
    }
    done(null, payload);
  });
}

/** Whether the request came as text/csv (its body is then the raw stream). */
export function isCsvRequest(request: FastifyRequest): boolean {
  return /^text\/csv\b/i.test(request.headers['content-type'] ?? '');
}

/** The streamed CSV body. @throws AppError UNSUPPORTED_MEDIA_TYPE for any other content type */
export function csvBody(request: FastifyRequest): Readable {
  const body = request.body as Readable | undefined;
  if (!isCsvRequest(request) || body === undefined || typeof (body as { pipe?: unknown }).pipe !== 'function') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as text/csv');
  }
  return body;
}
