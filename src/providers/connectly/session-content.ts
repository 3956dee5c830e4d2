/**
 * Our session content kinds → the `message` object of Connectly's send/messages (seed 002), one
 * content kind per message. Pure data, so contract tests compare it with seed 002's examples.
 *
 * Optional fields are left out rather than sent empty: the seed's examples omit what they do not
 * use (no `caption` on audio, no `header` on a list without one).
 */
import type { InteractiveHeader, MediaAttachment, MessageContent } from '../message-content.js';

export interface ConnectlyAttachment {
  type: string;
  url: string;
  filename?: string;
  caption?: string;
}

export interface ConnectlyHeader {
  text?: string;
  attachment?: ConnectlyAttachment;
}

export interface ConnectlyText {
  text: string;
}

/** seed 002's `message` object, less the fields we never send (isEcho, referral). */
export interface ConnectlyMessage {
  id?: string;
  text?: string;
  attachments?: ConnectlyAttachment[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  listMessage?: {
    header?: ConnectlyHeader;
    footer?: ConnectlyText;
    button: { id?: string; text: string };
    sections: { title?: string; rows: { id: string; text: string; description?: string }[] }[];
  };
  replyButtonMessage?: {
    header?: ConnectlyHeader;
    footer?: ConnectlyText;
    buttons: { id: string; text: string }[];
  };
  singleProductMessage?: {
    footer?: ConnectlyText;
    catalogId: string;
    productItem: { productRetailerId: string };
  };
  multiProductMessage?: {
    header?: ConnectlyHeader;
    footer?: ConnectlyText;
    catalogId: string;
    sections: { title?: string; productItems: { productRetailerId: string }[] }[];
  };
}

type SessionContent = Exclude<MessageContent, { kind: 'template' }>;

/** The content fields of `message` for one session content kind (no `id`). */
export function connectlyMessageContent(content: SessionContent): ConnectlyMessage {
  switch (content.kind) {
    case 'text':
      return { text: content.text };
    case 'document': {
      // Kept for campaigns stored as File_Info: Connectly fetches `uri`, which must be a URL.
      const a: MediaAttachment = { type: 'document', url: content.file.uri, caption: content.caption, filename: content.file.name };
      return { attachments: [attachment(a)] };
    }
    case 'attachment':
      return { attachments: [attachment(content.attachment)] };
    case 'location':
      return {
        location: compact({ latitude: content.latitude, longitude: content.longitude, name: content.name, address: content.address }),
      };
    case 'list':
      return {
        listMessage: compact({
          header: header(content.header),
          footer: footer(content.footer),
          button: compact({ id: content.button.id, text: content.button.text }),
          sections: content.sections.map((s) => compact({ title: s.title, rows: s.rows.map((r) => compact({ id: r.id, text: r.text, description: r.description })) })),
        }),
      };
    case 'reply_buttons':
      // The body text travels as message.text beside the buttons (seed 002's example).
      return {
        text: content.text,
        replyButtonMessage: compact({
          header: header(content.header),
          footer: footer(content.footer),
          buttons: content.buttons.map((b) => ({ id: b.id, text: b.text })),
        }),
      };
    case 'product':
      return {
        singleProductMessage: compact({
          footer: footer(content.footer),
          catalogId: content.catalogId,
          productItem: { productRetailerId: content.productRetailerId },
        }),
      };
    case 'multi_product':
      return {
        multiProductMessage: compact({
          header: header(content.header),
          footer: footer(content.footer),
          catalogId: content.catalogId,
          sections: content.sections.map((s) =>
            compact({ title: s.title, productItems: s.productItems.map((p) => ({ productRetailerId: p.productRetailerId })) }),
          ),
        }),
      };
  }
}

function attachment(a: MediaAttachment): ConnectlyAttachment {
  return compact({ type: a.type, url: a.url, caption: a.caption || undefined, filename: a.filename || undefined });
}

function header(h: InteractiveHeader | undefined): ConnectlyHeader | undefined {
  if (!h || (h.text === undefined && h.attachment === undefined)) return undefined;
  return compact({ text: h.text, attachment: h.attachment ? attachment(h.attachment) : undefined });
}

function footer(text: string | undefined): ConnectlyText | undefined {
  return text === undefined || text === '' ? undefined : { text };
}

/** Drops undefined properties, so a built body equals the seed's JSON field for field. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
