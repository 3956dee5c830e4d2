/**
 * Terminology
 * - provider: a messaging service we send through (Yeastar P-Series OpenAPI, Connectly).
 * - channel: one sender on one provider (a WhatsApp number, an SMS trunk DID, a Facebook page),
 *   with that provider's settings and credentials. One provider client serves one channel.
 * - idempotency key: a deterministic id derived from what is sent (campaign + recipient), carried on
 *   every attempt of the same send (Yeastar `request_id`, Connectly `callbackData`), so a retry is
 *   recognisable as the same message.
 *
 * This module imports neither Prisma nor BullMQ: the dispatch code hands clients plain data.
 */

export type ProviderName = 'yeastar' | 'connectly';
export type ChannelKind = 'sms' | 'whatsapp' | 'facebook';

export * from './message-content.js';
import type { FileInfo, MessageContent } from './message-content.js';

export interface OutboundMessage {
  /** Deterministic per send; the same on every attempt (≤ 127 characters). */
  idempotencyKey: string;
  /** Recipient, E.164. */
  to: string;
  content: MessageContent;
  /** Facebook message tag, for Messenger outside the 24-hour window. */
  tag?: string;
  /** Shown to the provider where it takes one (Connectly campaignName). */
  campaignName?: string;
  /**
   * Send within this existing provider session instead of starting one (Yeastar `session_id`;
   * then `to` is not sent, the session knows the recipient). Ignored by Connectly, which has no
   * sessions.
   */
  sessionId?: string;
}

export interface SendResult {
  /** The provider's id of the accepted message (Yeastar msg_id, Connectly id), as a string. */
  providerMessageId: string;
  /** Yeastar's session id, where the provider opened or used one. */
  sessionId?: string;
}

/** How the dispatch code should treat a failed send. */
export type ProviderErrorClass = 'retryable' | 'permanent' | 'window_closed' | 'auth' | 'rate_limited';

/** Options of one send. */
export interface SendOptions {
  /**
   * Called when the message request is ready to leave, its bytes held: resolves with the local
   * time (ms) by which they must be written, or null to drop the request (see ProviderClient.send).
   */
  gate?: () => Promise<number | null>;
}

/** The one interface the dispatch code calls. A third provider is one new folder implementing it. */
export interface ProviderClient {
  readonly provider: ProviderName;
  /**
   * Gets ready to send at once (Yeastar: a valid shared token), so that nothing slow stands between
   * a rate-limit admission and the request. Throws ProviderError like `send`.
   */
  prepare?(): Promise<void>;
  /**
   * Sends one message; throws ProviderError on any failure. With a `gate`, the message request is
   * made, held at the socket, and written only when the gate answers a deadline that has not
   * passed — else not at all (ProviderError with `notSent`): the send step's gate takes the rate
   * limiter's admission, so that the bytes leave right after it.
   */
  send(message: OutboundMessage, options?: SendOptions): Promise<SendResult>;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/** A channel as the provider layer sees it (a plain copy of the database row). */
export interface ChannelSpec {
  id: string;
  provider: ProviderName;
  kind: ChannelKind;
  senderId: string;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

/**
 * A small key-value store shared by every worker process (Redis in production), used for
 * provider tokens that must be shared fleet-wide (Yeastar allows 8 live tokens per app).
 */
export interface SharedStore {
  get(key: string): Promise<string | null>;
  /** Sets a value that expires after `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Runs `fn` while holding a fleet-wide lock on `key` (waits for it up to `waitMs`). */
  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>, waitMs?: number): Promise<T>;
}

/** A file to upload to the provider once, then send by reference (FileInfo) to many recipients. */
export interface UploadFile {
  name: string;
  /** MIME type, e.g. image/jpeg. */
  type: string;
  data: Buffer;
}

/** A provider that stores files for later sends (Yeastar message/batchupload). */
export interface FileUploader {
  /** Uploads `files` in one request; throws ProviderError (permanent FILES_TOO_LARGE above the limit). */
  uploadFiles(files: UploadFile[]): Promise<FileInfo[]>;
}

export interface TemplateQuery {
  /** Matches template names. */
  search?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

/** One component of a template definition (Meta's shape: HEADER / BODY / FOOTER / BUTTONS). */
export interface TemplateDefinitionComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: Record<string, unknown>[];
  [key: string]: unknown;
}

/** An approved WhatsApp template as the provider lists it, with its components parsed. */
export interface TemplateDefinition {
  id: number;
  template_id: string;
  name: string;
  parameter_format: 'POSITIONAL' | 'NAMED';
  language: string;
  category?: string;
  components: TemplateDefinitionComponent[];
}

/** A provider that lists its approved WhatsApp templates (Yeastar message_channel/whatsapp_template). */
export interface TemplateDirectory {
  searchTemplates(query?: TemplateQuery): Promise<{ total: number; templates: TemplateDefinition[] }>;
}

/** The optional abilities of a channel's provider client beyond sending; absent ones are undefined. */
export interface ProviderCapabilities {
  uploader?: FileUploader;
  templates?: TemplateDirectory;
}
