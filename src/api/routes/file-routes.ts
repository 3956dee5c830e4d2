/**
 * POST /v1/channels/:id/files (send scope): `multipart/form-data` with the file(s) in field
 * `files`, stored once with the channel's provider; answers `{files: [File_Info…]}` for a document
 * campaign's `content` (seed 001). The body is streamed through busboy by this plugin's own
 * content-type parser, so the rest of the API stays JSON-only; 100 MB in total (413 above).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { PrismaClient } from '../../db/prisma.js';
import type { CapabilitySource } from '../../channels/channel-capabilities.js';
import { uploadChannelFiles } from '../../files/upload-channel-files.js';
import { AppError } from '../../errors/index.js';
import type { Logger } from '../../observability/logger.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams } from '../schemas/common-schemas.js';

export interface FileRoutesDeps {
  prisma: PrismaClient;
  providers: CapabilitySource;
  log: Logger;
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
            'multipart/form-data, field `files`, 100 MB in total. Connectly channels answer 400 CAPABILITY_NOT_SUPPORTED: give their document campaigns a File_Info whose uri is a public https URL.',
          params: IdParams,
          response: { 201: UploadedFilesBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 502: ErrorBody, 503: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request, reply) => {
        if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the files as multipart/form-data, field "files"');
        }
        try {
          const files = await uploadChannelFiles(
            { prisma: deps.prisma, providers: deps.providers, log: log.child({ reqId: request.id }) },
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
