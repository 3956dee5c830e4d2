/**
 * What a provider client can be asked to send: one content kind per message, as both providers
 * require. Variables are already filled in by the dispatch code.
 *
 * The rich kinds (attachment … multi_product) follow seed 002's session-message schema; which
 * provider and channel kind can carry which is decided in `capabilities.ts`.
 */

/** Seed 000's File_Info: a file already uploaded to the provider. */
export interface FileInfo {
  id?: string;
  name?: string;
  uri: string;
  type?: string;
  size?: number;
}

/** Seed 001's MSG_Param: a WhatsApp template message object. */
export interface TemplateMessage {
  id?: number;
  template_id?: string;
  name: string;
  language: { code: string };
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components?: TemplateComponent[];
}

export interface TemplateComponent {
  type: string;
  parameters?: Record<string, unknown>[];
  [key: string]: unknown;
}

export type AttachmentType = 'image' | 'video' | 'audio' | 'document';

/** A media file the provider fetches from `url` (seed 002's attachment). */
export interface MediaAttachment {
  type: AttachmentType;
  url: string;
  caption?: string;
  /** Shown for documents. */
  filename?: string;
}

/** The header of a list, reply-buttons or multi-product message: a text or a media attachment. */
export interface InteractiveHeader {
  text?: string;
  attachment?: MediaAttachment;
}

export interface ListRow {
  id: string;
  text: string;
  description?: string;
}

export interface ListSection {
  title?: string;
  rows: ListRow[];
}

export interface ReplyButton {
  id: string;
  text: string;
}

export interface ProductSection {
  title?: string;
  productItems: { productRetailerId: string }[];
}

export type ContentKind = MessageContent['kind'];

/** Every content kind, for tables and request schemas. */
export const CONTENT_KINDS = [
  'text',
  'document',
  'template',
  'attachment',
  'location',
  'list',
  'reply_buttons',
  'product',
  'multi_product',
] as const satisfies readonly ContentKind[];

export type MessageContent =
  | { kind: 'text'; text: string }
  /** A file already uploaded to the provider (Yeastar) or reachable at `file.uri` (Connectly). */
  | { kind: 'document'; file: FileInfo; caption?: string }
  | { kind: 'template'; template: TemplateMessage }
  /** One media file by URL (seed 002: "only a single attachment is supported"). */
  | { kind: 'attachment'; attachment: MediaAttachment }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  /** An interactive list: `button` opens the list of `sections`. */
  | { kind: 'list'; header?: InteractiveHeader; footer?: string; button: { id?: string; text: string }; sections: ListSection[] }
  /** Interactive reply buttons under a body `text`. */
  | { kind: 'reply_buttons'; text: string; header?: InteractiveHeader; footer?: string; buttons: ReplyButton[] }
  /** One product of a catalog. */
  | { kind: 'product'; catalogId: string; productRetailerId: string; footer?: string }
  /** Several products of a catalog, in sections. */
  | { kind: 'multi_product'; header?: InteractiveHeader; footer?: string; catalogId: string; sections: ProductSection[] };
