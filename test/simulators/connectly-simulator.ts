/**
 * A Connectly simulator: POST /v1/businesses/{businessId}/send/messages and
 * /send/whatsapp_templated_messages, authenticated with X-API-Key, with the WhatsApp 24-hour rule,
 * template checks and an optional per-second rate limit (the real one is 200 requests/s).
 */
import { createControlRoutes } from './control-routes.js';
import {
  connectlyError,
  DEFAULT_CONNECTLY_TEMPLATES,
  validateSessionMessage,
  validateTemplateMessage,
  type ConnectlySimTemplate,
} from './connectly-validation.js';
import { createFaultScript } from './fault-script.js';
import { startSimServer, type SimRequest } from './http-server.js';
import { createUlidLike } from './ids.js';
import { createRecorder } from './recorder.js';
import { HANG, type SimAnswer, type SimOutcome, type SimulatorHandle } from './types.js';
import { createWindowBook } from './windows.js';
import { connectlyInbound, connectlyReceipts, type ConnectlyReceiptFailure, type ConnectlyReceiptLevel } from './connectly-events.js';
import { createWebhookSender, type SimulatorWebhooks, type WebhookDelivery, type WebhookDeliveryMode } from './webhook-sender.js';

export interface ConnectlySimulatorOptions {
  port?: number;
  host?: string;
  apiKey?: string;
  businessId?: string;
  /** Answer 429 + Retry-After above this many send requests per second (default: no limit). */
  rateLimitPerSecond?: number;
  templates?: ConnectlySimTemplate[];
  /** Treat every recipient's window as open (demo runs). */
  windowsOpen?: boolean;
  /** Where to post signed webhooks (delivery_status, messages); none when unset. */
  webhookUrl?: string;
  /** The secret webhooks are signed with (x-connectly-hmac-sha256); unsigned when unset. */
  webhookSecret?: string;
  /** Receipts posted after an accepted send, in order up to this status. Default 'none'. */
  receipts?: ConnectlyReceiptLevel;
  /** 'manual' holds receipts until flushWebhooks() (default 'auto': in the background at once). */
  webhookDelivery?: WebhookDeliveryMode;
  /** Auto mode: receipts go out this long after the send answer (default 0; the demo uses a delay). */
  receiptDelayMs?: number;
  /** Called for each webhook our API did not answer 200 (main.ts prints them). */
  onWebhookFailure?: (delivery: WebhookDelivery) => void;
  /** The business's own number, the recipient of simulated inbound messages. */
  businessNumber?: string;
}

export interface ConnectlySimulator extends SimulatorHandle, SimulatorWebhooks {
  apiKey: string;
  businessId: string;
  /** Sends to `to` are accepted, then reported `delivery_failed` with this error (after `sent`). */
  failReceipt(to: string, failure: ConnectlyReceiptFailure): void;
}

const ROUTE = /^\/v1\/businesses\/([^/]+)\/send\/(messages|whatsapp_templated_messages)$/;

/** Starts a Connectly simulator; `url` is the base URL (a channel's `settings.baseUrl`). */
export async function startConnectlySimulator(options: ConnectlySimulatorOptions = {}): Promise<ConnectlySimulator> {
  const apiKey = options.apiKey ?? 'sim-key';
  const businessId = options.businessId ?? 'sim-business';
  const templates = options.templates ?? [...DEFAULT_CONNECTLY_TEMPLATES];
  const recorder = createRecorder();
  const windows = createWindowBook(options.windowsOpen);
  const nextId = createUlidLike();
  const faults = createFaultScript({
    defaultBody: (status) =>
      status === 429
        ? connectlyError(429, 'ERROR_CODE_RATE_LIMIT_EXCEEDED', 'too many requests', 'ERROR_TYPE_RESOURCE_EXHAUSTED').body // our code
        : connectlyError(status, 'ERROR_CODE_INTERNAL', 'simulated failure', 'ERROR_TYPE_INTERNAL').body, // our code
    defaultNumberStatus: 400,
  });
  const webhooks = createWebhookSender({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    header: 'x-connectly-hmac-sha256',
    mode: options.webhookDelivery,
    delayMs: options.receiptDelayMs,
    onFailure: options.onWebhookFailure,
  });
  const receiptFailures = new Map<string, ConnectlyReceiptFailure>();
  let windowSecond = 0;
  let inWindow = 0;

  function overLimit(now: number): boolean {
    if (options.rateLimitPerSecond === undefined) return false;
    const second = Math.floor(now / 1000);
    if (second !== windowSecond) {
      windowSecond = second;
      inWindow = 0;
    }
    return ++inWindow > options.rateLimitPerSecond;
  }

  function handle(req: SimRequest): SimOutcome {
    const now = Date.now();
    const match = ROUTE.exec(req.path);
    if (!match || req.method !== 'POST') return connectlyError(404, 'ERROR_CODE_NOT_FOUND', `no route ${req.method} ${req.path}`, 'ERROR_TYPE_NOT_FOUND');
    if (faults.takeHang()) return HANG;
    const scripted = faults.takeFailure();
    if (scripted) return scripted;
    // UNVERIFIED codes for authentication failures.
    if (req.headers['x-api-key'] !== apiKey) return connectlyError(401, 'ERROR_CODE_UNAUTHENTICATED', 'invalid API key', 'ERROR_TYPE_UNAUTHENTICATED');
    if (decodeURIComponent(match[1]!) !== businessId) {
      return connectlyError(403, 'ERROR_CODE_PERMISSION_DENIED', 'the API key does not belong to this business', 'ERROR_TYPE_PERMISSION_DENIED');
    }
    if (overLimit(now)) {
      const limited = connectlyError(429, 'ERROR_CODE_RATE_LIMIT_EXCEEDED', 'too many requests', 'ERROR_TYPE_RESOURCE_EXHAUSTED');
      return { ...limited, headers: { 'retry-after': '1' } };
    }
    if (req.invalidJson) return connectlyError(400, 'ERROR_CODE_INVALID_REQUEST', 'body is not JSON');
    return match[2] === 'messages' ? session(req.body, now) : template(req.body, now);
  }

  function session(body: unknown, now: number): SimAnswer {
    const invalid = validateSessionMessage(body);
    if (invalid) return invalid;
    const b = body as { recipient: { id: string; channelType: string }; message: { id?: unknown } };
    const key = typeof b.message.id === 'string' ? b.message.id : undefined;
    // Our assumption (UNVERIFIED): Connectly answers a repeated message.id with the original answer.
    const replay = recorder.replay(key);
    if (replay) return replay;
    const to = b.recipient.id;
    const forced = faults.forNumber(to);
    if (forced) return forced;
    if (b.recipient.channelType === 'whatsapp' && !windows.isOpen(to, now)) {
      return connectlyError(
        400,
        'ERROR_CODE_MESSAGE_OUTSIDE_OF_ELIGIBILITY_WINDOW',
        'the customer has not messaged in the last 24 hours; send a template',
        'ERROR_TYPE_DEADLINE_EXCEEDED',
      );
    }
    return accept(to, key, 'session', body, now);
  }

  function template(body: unknown, now: number): SimAnswer {
    const invalid = validateTemplateMessage(body, templates);
    if (invalid) return invalid;
    const b = body as { number: string; callbackData?: unknown };
    const key = typeof b.callbackData === 'string' ? b.callbackData : undefined;
    // Same assumption for callbackData (UNVERIFIED).
    const replay = recorder.replay(key);
    if (replay) return replay;
    const forced = faults.forNumber(b.number);
    if (forced) return forced;
    return accept(b.number, key, 'template', body, now);
  }

  function accept(to: string, key: string | undefined, kind: 'session' | 'template', body: unknown, now: number): SimAnswer {
    const messageId = nextId();
    const answer: SimAnswer = { status: 200, body: { id: messageId } };
    recorder.accept({ at: now, to, idempotencyKey: key ?? '', messageId, kind, body }, answer);
    if (webhooks.enabled && options.receipts && options.receipts !== 'none') {
      const b = body as { sender?: unknown; recipient?: { channelType?: unknown } };
      const channelType = kind === 'template' ? 'whatsapp' : String(b.recipient?.channelType ?? 'whatsapp');
      const sender = kind === 'template' ? { id: String(b.sender ?? ''), channelType } : (b.sender as { id: string; channelType: string });
      webhooks.enqueue(connectlyReceipts({ id: messageId, sender, recipient: { id: to, channelType }, now }, options.receipts, receiptFailures.get(to)));
    }
    return answer;
  }

  const business = { id: options.businessNumber ?? '+14151111234', channelType: 'whatsapp' };
  const handleApi = {
    recordInbound: (number: string, at?: Date) => windows.recordInbound(number, at),
    sendInbound(number: string, text: string, at = new Date()) {
      windows.recordInbound(number, at);
      return webhooks.deliver(connectlyInbound(number, business, text, at));
    },
    reset() {
      recorder.reset();
      faults.api.clear();
      windows.reset();
      webhooks.reset();
      receiptFailures.clear();
    },
  };
  const server = await startSimServer({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    recorder,
    faults,
    handle,
    control: createControlRoutes({
      ...handleApi,
      stats: () => ({ requests: recorder.requests.length, accepted: recorder.accepted.length, duplicates: recorder.duplicates() }),
    }),
  });

  return {
    url: `http://${server.host}:${server.port}`,
    apiKey,
    businessId,
    requests: recorder.requests,
    acceptedSends: () => recorder.accepted,
    duplicateSends: () => recorder.duplicates(),
    faults: faults.api,
    ...handleApi,
    failReceipt: (to, failure) => void receiptFailures.set(to, failure),
    sendRawWebhook: (body, raw) => webhooks.deliver(body, raw),
    pendingWebhooks: () => webhooks.pending(),
    flushWebhooks: () => webhooks.flush(),
    webhookDeliveries: () => webhooks.deliveries(),
    async close() {
      await webhooks.close();
      await server.close();
    },
  };
}
