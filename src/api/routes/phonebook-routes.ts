/**
 * Phonebooks and their contacts. Writes need the send scope, reads the read scope.
 *
 * POST /v1/phonebooks/:id/contacts takes either JSON (`{contacts:[…]}`, at most 10,000, refused
 * whole on the first bad number with its field) or `text/csv` (streamed with COPY, any size up to
 * 2 GiB, bad rows reported by line and the rest kept) — this plugin registers the CSV parser.
 * DELETE is allowed whatever campaigns came from the phonebook (see phonebook-store.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { Compile } from 'typebox/compile';
import { AppError } from '../../errors/index.js';
import { acceptCsvBodies, csvBody, isCsvRequest, CSV_BODY_LIMIT_BYTES } from '../../ingest/csv-body.js';
import type { Logger } from '../../observability/logger.js';
import { normaliseContacts } from '../../phonebooks/contact-input.js';
import { insertContacts, listContacts } from '../../phonebooks/contact-store.js';
import { createPhonebook, deletePhonebook, getPhonebook, listPhonebooks } from '../../phonebooks/phonebook-store.js';
import { uploadContacts } from '../../phonebooks/upload-contacts.js';
import { summariseSchemaErrors, type SchemaError } from '../field-path.js';
import { AUTHENTICATED_ERRORS, ErrorBody, IdParams } from '../schemas/common-schemas.js';
import {
  AddContactsBody,
  AddedContactsBody,
  ContactPageBody,
  CreatePhonebookBody,
  PageQuery,
  PhonebookBody,
  PhonebookPageBody,
} from '../schemas/phonebook-schemas.js';
import { CsvQuery } from './recipient-upload-routes.js';

export interface PhonebookRoutesDeps {
  pool: pg.Pool;
  log: Logger;
}

export const DEFAULT_PAGE = 100;

/** The route takes two content types, so its JSON body is checked here rather than by the route schema. */
const addContactsCheck = Compile(AddContactsBody);

function checkAddContacts(body: unknown): AddContactsBody {
  if (addContactsCheck.Check(body)) return body;
  const errors = [...addContactsCheck.Errors(body)] as unknown as SchemaError[];
  const { field, message } = summariseSchemaErrors(errors);
  throw new AppError('VALIDATION_FAILED', message, field === undefined ? {} : { field });
}

export function phonebookRoutes(deps: PhonebookRoutesDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'phonebook-routes' });
  return async (app) => {
    acceptCsvBodies(app);

    app.post(
      '/v1/phonebooks',
      { config: { scope: 'send' }, schema: { body: CreatePhonebookBody, response: { 201: PhonebookBody, ...AUTHENTICATED_ERRORS } } },
      async (request, reply) => {
        const created = await createPhonebook(deps.pool, request.body.name);
        log.info({ phonebookId: created.id, reqId: request.id }, 'phonebook created');
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/v1/phonebooks',
      { config: { scope: 'read' }, schema: { querystring: PageQuery, response: { 200: PhonebookPageBody, ...AUTHENTICATED_ERRORS } } },
      async (request) => listPhonebooks(deps.pool, { cursor: request.query.cursor, limit: request.query.limit ?? DEFAULT_PAGE }),
    );

    app.get(
      '/v1/phonebooks/:id',
      { config: { scope: 'read' }, schema: { params: IdParams, response: { 200: PhonebookBody, 404: ErrorBody, ...AUTHENTICATED_ERRORS } } },
      async (request) => getPhonebook(deps.pool, request.params.id),
    );

    app.delete(
      '/v1/phonebooks/:id',
      {
        config: { scope: 'send' },
        schema: {
          description: 'Deletes the phonebook and its contacts. Campaigns created from it keep their recipients (copied at creation).',
          params: IdParams,
          response: { 204: { type: 'null', description: 'Deleted.' }, 404: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request, reply) => {
        await deletePhonebook(deps.pool, request.params.id);
        log.info({ phonebookId: request.params.id, reqId: request.id }, 'phonebook deleted');
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/v1/phonebooks/:id/contacts',
      {
        bodyLimit: CSV_BODY_LIMIT_BYTES,
        config: { scope: 'send' },
        schema: {
          description:
            'Adds contacts, as JSON `{contacts:[…]}` (at most 10,000; a bad number refuses the request, naming e.g. `contacts[3].mobile_number`) ' +
            'or as `text/csv` with the same column names (streamed; bad rows are reported by line, the rest kept; other columns become variables).',
          params: IdParams,
          querystring: CsvQuery,
          response: { 201: AddedContactsBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, ...AUTHENTICATED_ERRORS },
        },
      },
      async (request, reply) => {
        const reqLog = log.child({ reqId: request.id });
        if (isCsvRequest(request)) {
          try {
            const added = await uploadContacts(
              { pool: deps.pool, log: reqLog },
              { phonebookId: request.params.id, body: csvBody(request), delimiter: request.query.delimiter, maxBodyBytes: CSV_BODY_LIMIT_BYTES },
            );
            return reply.code(201).send(added);
          } catch (err) {
            reply.header('connection', 'close');
            throw err;
          }
        }
        const body = checkAddContacts(request.body);
        const accepted = await insertContacts(deps.pool, request.params.id, normaliseContacts(body.contacts));
        reqLog.info({ phonebookId: request.params.id, accepted }, 'contacts added');
        return reply.code(201).send({ accepted, rejected: 0, rejected_total: 0, rejections: [] });
      },
    );

    app.get(
      '/v1/phonebooks/:id/contacts',
      { config: { scope: 'read' }, schema: { params: IdParams, querystring: PageQuery, response: { 200: ContactPageBody, 404: ErrorBody, ...AUTHENTICATED_ERRORS } } },
      async (request) => listContacts(deps.pool, request.params.id, { cursor: request.query.cursor, limit: request.query.limit ?? DEFAULT_PAGE }),
    );
  };
}
