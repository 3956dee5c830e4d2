/**
 * POST /v1/channels/:id/files (send scope): stores file(s) once with the channel's provider and
 * answers `{files: [File_Info…]}` for a document campaign's `content` (seed 001). Two bodies:
 * - `multipart/form-data` with the file(s) in field `files`, streamed through busboy by this
 *   plugin's own content-type parser, so the rest of the API stays JSON-only; 100 MB in total;
 * - `application/json` `{url, name?}`: we download the URL ourselves, through the SSRF guard
 *   (src/security/guarded-fetch.ts: public addresses only unless FETCH_ALLOW_HOSTS names the
 *   host, resolved once and pinned, 30 s, the same 100 MB cap), then upload it the same way.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { PrismaClient } from '../../db/prisma.js';
import type { CapabilitySource } from '../../channels/channel-capabilities.js';
import { uploadChannelFiles } from '../../files/upload-channel-files.js';
import { AppError } from '../../errors/index.js';
import type { Logger } from '../../observability/logger.js';
import { fetchChannelFile } from '../../files/fetch-channel-file.js';
import type { Resolver } from '../../security/guarded-fetch.js';
import type { Keyring } from '../../security/keyring.js';
import { Compile } from 'typebox/compile';
import { summariseSchemaErrors, type SchemaError } from '../field-path.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams } from '../schemas/common-schemas.js';

export interface FileRoutesDeps {
  prisma: PrismaClient;
  providers: CapabilitySource;
  log: Logger;
  /** Decrypts the channel's credentials (config.credentialsKeyring). */
  keyring: Keyring;
  /** FETCH_ALLOW_HOSTS: hosts a `{url}` upload may fetch from despite internal addresses. */
  fetchAllowHosts: readonly string[];
  /** Tests: a shorter download timeout / smaller cap, a fake resolver. */
  fetchPolicy?: { timeoutMs?: number; maxBytes?: number };
  resolve?: Resolver;
}

export const FileUrlBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'An http(s) URL on the public internet (or a FETCH_ALLOW_HOSTS host).' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The stored file's name; default the server's Content-Disposition name or the URL's last path segment." })),
  },
  { additionalProperties: false },
);
const checkUrlBody = Compile(FileUrlBody);

/** @throws AppError VALIDATION_FAILED naming the field at fault. */
function readUrlBody(body: unknown): { url: string; name?: string } {
  if (checkUrlBody.Check(body)) return body;
  const errors = [...checkUrlBody.Errors(body)] as unknown as SchemaError[];
  const { field, message } = summariseSchemaErrors(errors, { container: 'body' });
  throw new AppError('VALIDATION_FAILED', message, field === undefined ? {} : { field });
}

export const FileInfoBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    uri: Type.String({ description: 'Where the provider keeps the file (Yeastar: PBX-relative, e.g. 20250725/65a7…).' }),
    type: Type.Optional(Type.String()),
    size: Type.Optional(Type.Integer()),
  },
  { description: "Seed 000's File_Info. Give it, as JSON, as a document campaign's content." },
);

export const UploadedFilesBody = Type.Object({ files: Type.Array(FileInfoBody) });

export function fileRoutes(deps: FileRoutesDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'file-routes' });
  return async (app) => {
    // Hand the raw stream to the handler: busboy reads it, counting bytes as they arrive.
    app.addContentTypeParser('multipart/form-data', (_request, payload, done) => done(null, payload));

    app.post(
      '/v1/channels/:id/files',
      {
        config: { scope: 'send' },
        schema: {
          description:
            'Stores file(s) with the channel’s provider once (Yeastar message/batchupload), for document campaigns and template media headers. ' +
            'multipart/form-data, field `files`, 100 MB in total; or application/json `{url, name?}` to have us download one file (public http(s) hosts only: ' +
            'internal addresses answer 400 URL_NOT_ALLOWED, failed downloads 400 URL_FETCH_FAILED). ' +
            'Connectly channels answer 400 CAPABILITY_NOT_SUPPORTED: give their document campaigns a File_Info whose uri is a public https URL.',
          params: IdParams,
          response: { 201: UploadedFilesBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 502: ErrorBody, 503: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request, reply) => {
        const contentType = request.headers['content-type'] ?? '';
        if (/^application\/json\b/i.test(contentType)) {
          const body = readUrlBody(request.body);
          const files = await fetchChannelFile(
            {
              prisma: deps.prisma,
              providers: deps.providers,
              keyring: deps.keyring,
              log: log.child({ reqId: request.id }),
              allowHosts: deps.fetchAllowHosts,
              fetchPolicy: deps.fetchPolicy,
              resolve: deps.resolve,
            },
            { channelId: request.params.id, ...body },
          );
          return reply.code(201).send({ files });
        }
        if (!/^multipart\/form-data\b/i.test(contentType)) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the files as multipart/form-data (field "files"), or {"url": …} as application/json');
        }
        try {
          const files = await uploadChannelFiles(
            { prisma: deps.prisma, providers: deps.providers, keyring: deps.keyring, log: log.child({ reqId: request.id }) },
            { channelId: request.params.id, body: request.body as Readable, contentType: request.headers['content-type'] },
          );
          return await reply.code(201).send({ files });
        } catch (err) {
          // The body may be partly unread: this connection is not fit for another request.
          reply.header('connection', 'close');
          throw err;
        }
      },
    );
  };
}
