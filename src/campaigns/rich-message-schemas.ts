/**
 * The shapes of the rich message object (content_type `interactive`, and `message` of
 * POST /v1/messages): one TypeBox schema per kind, mirroring src/providers/message-content.ts
 * field for field, with seed 002's limits where WhatsApp states them (reply buttons 1–3, list rows
 * 1–10, multi-product items 1–30).
 *
 * The request schemas take the object loosely (`kind` plus anything), and rich-content.ts checks it
 * against its kind's schema here: a union in the request schema would make any mistake read
 * "message does not match any allowed form", where this names the field (`message.sections[0].rows`).
 */
import { Type, type TSchema } from 'typebox';
import type { RichKind } from '../policy/render-content.js';

const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });

export const MediaAttachmentSchema = Type.Object({
  type: Type.Enum(['image', 'video', 'audio', 'document']),
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'A URL the provider fetches the file from.' }),
  caption: Type.Optional(Type.String({ maxLength: 1024 })),
  filename: Type.Optional(Type.String({ maxLength: 255, description: 'Shown for documents.' })),
});

const Header = Type.Object({ text: Type.Optional(Text(60)), attachment: Type.Optional(MediaAttachmentSchema) });
const Footer = Type.Optional(Type.String({ maxLength: 60 }));

/** kind → the schema of a message of that kind. */
export const RICH_MESSAGE_SCHEMAS: Readonly<Record<RichKind, TSchema>> = {
  attachment: Type.Object({ kind: Type.Literal('attachment'), attachment: MediaAttachmentSchema }),
  location: Type.Object({
    kind: Type.Literal('location'),
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    name: Type.Optional(Type.String({ maxLength: 1000 })),
    address: Type.Optional(Type.String({ maxLength: 1000 })),
  }),
  list: Type.Object({
    kind: Type.Literal('list'),
    header: Type.Optional(Header),
    footer: Footer,
    button: Type.Object({ id: Type.Optional(Type.String()), text: Text(20) }),
    sections: Type.Array(
      Type.Object({
        title: Type.Optional(Type.String({ maxLength: 24 })),
        rows: Type.Array(Type.Object({ id: Text(200), text: Text(24), description: Type.Optional(Type.String({ maxLength: 72 })) }), { minItems: 1, maxItems: 10 }),
      }),
      { minItems: 1, maxItems: 10 },
    ),
  }),
  reply_buttons: Type.Object({
    kind: Type.Literal('reply_buttons'),
    text: Text(1024, 'The body above the buttons.'),
    header: Type.Optional(Header),
    footer: Footer,
    buttons: Type.Array(Type.Object({ id: Text(256), text: Text(20) }), { minItems: 1, maxItems: 3 }),
  }),
  product: Type.Object({ kind: Type.Literal('product'), catalogId: Text(200), productRetailerId: Text(200), footer: Footer }),
  multi_product: Type.Object({
    kind: Type.Literal('multi_product'),
    header: Type.Optional(Header),
    footer: Footer,
    catalogId: Text(200),
    sections: Type.Array(
      Type.Object({
        title: Type.Optional(Type.String({ maxLength: 24 })),
        productItems: Type.Array(Type.Object({ productRetailerId: Text(200) }), { minItems: 1, maxItems: 30 }),
      }),
      { minItems: 1, maxItems: 10 },
    ),
  }),
};
