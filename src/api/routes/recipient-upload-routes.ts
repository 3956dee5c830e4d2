/**
 * POST /v1/campaigns/:id/recipients (send scope): a CSV of recipients streamed into the ledger of a
 * draft or scheduled campaign. The body is `text/csv` — a header row with a `number` (or `phone`)
 * column and any variable columns, then one recipient per row — read as a stream (this plugin's
 * own content-type parser), never buffered whole; the limit is CSV_BODY_LIMIT_BYTES (2 GiB).
 * `?delimiter=` picks `,` `;` tab or `|`; without it the header line decides (csv-dialect.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { Type } from 'typebox';
import { acceptCsvBodies, csvBody, CSV_BODY_LIMIT_BYTES } from '../../ingest/csv-body.js';
import { DELIMITERS } from '../../ingest/csv-dialect.js';
import { REJECTION_REASONS } from '../../ingest/rejections.js';
import { uploadRecipients } from '../../ingest/upload-recipients.js';
import type { Logger } from '../../observability/logger.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams } from '../schemas/common-schemas.js';

export interface RecipientUploadRoutesDeps {
  pool: pg.Pool;
  log: Logger;
}

export const CsvQuery = Type.Object({
  delimiter: Type.Optional(Type.Enum([...DELIMITERS], { description: 'The field delimiter; by default the header line decides (comma when unclear).' })),
});

export const RejectionBody = Type.Object({
  line: Type.Integer({ description: 'The line the row starts on (the header is line 1).' }),
  reason: Type.Enum([...REJECTION_REASONS]),
  column: Type.Optional(Type.String()),
  value: Type.Optional(Type.String({ description: 'The offending value, cut to 100 characters.' })),
});

export const UploadedRecipientsBody = Type.Object({
  accepted: Type.Integer({ description: 'Rows added to the ledger.' }),
  rejected: Type.Integer({ description: 'Rows refused for their content (missing or invalid number, wrong field count, too long…).' }),
  duplicates: Type.Integer({ description: 'Rows refused because an earlier line, or the campaign, already had the number.' }),
  rejected_total: Type.Integer({ description: 'rejected + duplicates: every data row not accepted.' }),
  rejections: Type.Array(RejectionBody, { description: 'The first 1,000 refused rows, in line order.' }),
  recipient_count: Type.Integer({ description: 'The campaign’s recipients after this upload.' }),
});

export function recipientUploadRoutes(deps: RecipientUploadRoutesDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'recipient-upload' });
  return async (app) => {
    acceptCsvBodies(app);
    app.post(
      '/v1/campaigns/:id/recipients',
      {
        bodyLimit: CSV_BODY_LIMIT_BYTES,
        config: { scope: 'send' },
        schema: {
          description:
            'Streams a `text/csv` body of recipients into a draft or scheduled campaign, in one transaction (all rows or none). ' +
            'Header row: `number` (or `phone`) plus any variable columns. UTF-8, BOM allowed, CRLF or LF, quoted fields, blank lines skipped; rows over 64 KB are rejected.',
          params: IdParams,
          querystring: CsvQuery,
          response: { 200: UploadedRecipientsBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request, reply) => {
        const body = csvBody(request);
        try {
          return await uploadRecipients(
            { pool: deps.pool, log: log.child({ reqId: request.id }) },
            { campaignId: request.params.id, body, delimiter: request.query.delimiter, maxBodyBytes: CSV_BODY_LIMIT_BYTES },
          );
        } catch (err) {
          // The client may still be sending; this connection is not fit for another request.
          reply.header('connection', 'close');
          throw err;
        }
      },
    );
  };
}
