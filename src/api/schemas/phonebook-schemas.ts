/**
 * Phonebook and contact requests and answers. Ids are decimal strings (bigints); contact numbers
 * are stored and returned in E.164.
 */
import { Type, type Static } from 'typebox';
import { CONTACT_NUMBER_FIELDS, CONTACT_TEXT_FIELDS } from '../../phonebooks/contact-fields.js';
import { Nullable } from './common-schemas.js';

/** Most contacts one JSON request may carry; larger lists go as CSV (streamed, no cap). */
export const MAX_JSON_CONTACTS = 10_000;

export const CreatePhonebookBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });

export const PhonebookBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  contact_count: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
});

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Items per page (default 100).' })),
});

export const PhonebookPageBody = Type.Object({ items: Type.Array(PhonebookBody), next_cursor: Nullable(Type.String()) });

const textFields = Object.fromEntries(CONTACT_TEXT_FIELDS.map((f) => [f, Type.Optional(Nullable(Type.String({ maxLength: 500 })))]));
const numberFields = Object.fromEntries(
  CONTACT_NUMBER_FIELDS.map((f) => [f, Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'With its country code; stored as E.164.' })))]),
);

export const ContactInputBody = Type.Object(
  { ...textFields, ...numberFields, variables: Type.Optional(Type.Record(Type.String(), Type.String())) },
  { additionalProperties: false },
);

export const AddContactsBody = Type.Object({
  contacts: Type.Array(ContactInputBody, { minItems: 1, maxItems: MAX_JSON_CONTACTS, description: `At most ${MAX_JSON_CONTACTS}; send larger lists as text/csv.` }),
});
export type AddContactsBody = Static<typeof AddContactsBody>;

export const ContactBody = Type.Object({
  id: Type.String(),
  phonebook_id: Type.String(),
  ...Object.fromEntries([...CONTACT_TEXT_FIELDS, ...CONTACT_NUMBER_FIELDS].map((f) => [f, Nullable(Type.String())])),
  variables: Nullable(Type.Record(Type.String(), Type.Unknown())),
  created_at: Type.String({ format: 'date-time' }),
});

export const ContactPageBody = Type.Object({ items: Type.Array(ContactBody), next_cursor: Nullable(Type.String()) });

export const AddedContactsBody = Type.Object({
  accepted: Type.Integer({ description: 'Contacts added.' }),
  rejected: Type.Integer({ description: 'CSV rows refused (always 0 for JSON, which is refused whole instead).' }),
  rejected_total: Type.Integer(),
  rejections: Type.Array(
    Type.Object({
      line: Type.Integer(),
      reason: Type.String(),
      column: Type.Optional(Type.String()),
      value: Type.Optional(Type.String()),
    }),
    { description: 'The first 1,000 refused rows, in line order.' },
  ),
});
