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

/** What to send. Variables are already filled in by the dispatch code. */
export type MessageContent =
  | { kind: 'text'; text: string }
  | { kind: 'document'; file: FileInfo; caption?: string }
  | { kind: 'template'; template: TemplateMessage };

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
}

export interface SendResult {
  /** The provider's id of the accepted message (Yeastar msg_id, Connectly id), as a string. */
  providerMessageId: string;
  /** Yeastar's session id, where the provider opened or used one. */
  sessionId?: string;
}

/** How the dispatch code should treat a failed send. */
export type ProviderErrorClass = 'retryable' | 'permanent' | 'window_closed' | 'auth' | 'rate_limited';

/** The one interface the dispatch code calls. A third provider is one new folder implementing it. */
export interface ProviderClient {
  readonly provider: ProviderName;
  /** Sends one message; throws ProviderError on any failure. */
  send(message: OutboundMessage): Promise<SendResult>;
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
