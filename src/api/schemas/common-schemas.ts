/**
 * Schemas shared by every route. Everything the API takes or gives is described with TypeBox, so
 * the same definitions validate requests and (later) generate the OpenAPI description.
 */
import { Type, type TSchema } from 'typebox';

/** Every error answer: `{ error: { code, message, field?, details? } }`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'A stable code from the registry (src/errors/codes.ts).' }),
      message: Type.String({ description: 'For people; may change between versions.' }),
      field: Type.Optional(Type.String({ description: 'The request field at fault, e.g. number_list[3].number.' })),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorBody' },
);

/** The error answers any authenticated route may give, for its response map. */
export const AUTHENTICATED_ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody, 500: ErrorBody } as const;

/** The last second of year 9999: later Unix times are not dates Postgres or JSON answers can hold. */
export const MAX_UNIX_SECONDS = 253_402_300_799;

/** `:id` path parameter. Deliberately a plain string: an id that is not a UUID names nothing (404). */
export const IdParams = Type.Object({ id: Type.String({ description: 'The resource id (a UUID).' }) });

/** A nullable value, as JSON schema and OpenAPI 3.1 write it. */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** An ISO-8601 timestamp, or null when the event has not happened. */
export const Timestamp = Nullable(Type.String({ format: 'date-time' }));
