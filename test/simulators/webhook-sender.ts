/**
 * Signed webhook deliveries from a simulator to our API, the way the providers make them:
 * POST JSON to the configured URL with Base64(HMAC-SHA256(body, secret)) in the provider's header.
 *
 * Deliveries run in the background so a send's answer never waits for them. Receipts of one
 * message go out in order (sent → delivered → read), one chain per message. In `manual` mode they
 * are held until `flush()`: tests use it to write the ledger row first, as the dispatch would,
 * without sleeping. Failures are recorded (and reported to `onFailure`), never thrown at the send.
 */
import http from 'node:http';
import { createHmac } from 'node:crypto';

export type WebhookDeliveryMode = 'auto' | 'manual';

export interface WebhookDelivery {
  at: number;
  body: unknown;
  /** 0 when the request failed before an answer. */
  status: number;
  response: string;
  error?: string;
}

export interface WebhookSenderOptions {
  url?: string;
  secret?: string;
  /** The provider's signature header. */
  header: string;
  mode?: WebhookDeliveryMode;
  /**
   * In auto mode, wait this long before a message's receipts go out (default 0). Real receipts
   * come seconds after the send answer; posting at once can beat the dispatch's write of the
   * provider's message id, and such a receipt is dropped as unknown.
   */
  delayMs?: number;
  onFailure?: (delivery: WebhookDelivery) => void;
}

export interface RawWebhookOptions {
  /** The header's value as given; `null` sends none; undefined signs with the secret. */
  signature?: string | null;
  /** Sent as is instead of JSON.stringify(body) (malformed-JSON tests). */
  rawBody?: string;
}

export interface WebhookSender {
  readonly enabled: boolean;
  /** Queues a chain of bodies for one message, delivered in order. */
  enqueue(bodies: unknown[]): void;
  /** Delivers one body now (not held in manual mode) and resolves with the answer. */
  deliver(body: unknown, options?: RawWebhookOptions): Promise<WebhookDelivery>;
  /** Chains waiting for `flush()` (manual mode) plus those in flight. */
  pending(): number;
  /** Starts every held chain and waits until nothing is in flight. */
  flush(): Promise<void>;
  deliveries(): WebhookDelivery[];
  reset(): void;
  /** Waits for deliveries in flight (held ones are dropped), then closes the sockets. */
  close(): Promise<void>;
}

/** What both simulators offer tests for their webhooks. */
export interface SimulatorWebhooks {
  /**
   * Records an inbound message from `number` (opening its window, like `recordInbound`) and posts
   * the provider's inbound webhook, signed; resolves with our API's answer.
   */
  sendInbound(number: string, text: string, at?: Date): Promise<WebhookDelivery>;
  /** Posts `body` as a webhook now; `signature` overrides the computed one (`null`: none). */
  sendRawWebhook(body: unknown, options?: RawWebhookOptions): Promise<WebhookDelivery>;
  /** Webhooks queued or in flight. */
  pendingWebhooks(): number;
  /** Delivers every held webhook and waits until none is in flight. */
  flushWebhooks(): Promise<void>;
  /** Every delivery made, with our API's answer. */
  webhookDeliveries(): WebhookDelivery[];
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const held: unknown[][] = [];
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  const delayMs = options.delayMs ?? 0;
  const deliveries: WebhookDelivery[] = [];
  const mode = options.mode ?? 'auto';
  const target = options.url ? new URL(options.url) : undefined;

  function post(body: unknown, raw: RawWebhookOptions = {}): Promise<WebhookDelivery> {
    const payload = raw.rawBody ?? JSON.stringify(body);
    const signature =
      raw.signature === null ? undefined : (raw.signature ?? (options.secret ? createHmac('sha256', options.secret).update(payload).digest('base64') : undefined));
    return new Promise((resolve) => {
      const record = (status: number, response: string, error?: string): void => {
        const delivery: WebhookDelivery = { at: Date.now(), body, status, response, ...(error ? { error } : {}) };
        deliveries.push(delivery);
        if (error || status !== 200) options.onFailure?.(delivery);
        resolve(delivery);
      };
      if (!target) return record(0, '', 'no webhookUrl configured');
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...(signature === undefined ? {} : { [options.header]: signature }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => record(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          res.on('error', (err) => record(res.statusCode ?? 0, '', err.message));
        },
      );
      req.on('error', (err) => record(0, '', err.message));
      req.end(payload);
    });
  }

  function track<T>(work: Promise<T>): Promise<T> {
    const done = work.then(() => undefined);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
    return work;
  }

  function start(chain: unknown[], delay = 0): void {
    const wait =
      delay <= 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, delay);
            timers.set(timer, resolve);
          });
    // After close() a chain still waiting posts nothing.
    void track(chain.reduce<Promise<unknown>>((previous, body) => previous.then(() => (closed ? undefined : post(body))), wait));
  }

  return {
    enabled: target !== undefined,
    enqueue(bodies) {
      if (!target || bodies.length === 0) return;
      if (mode === 'manual') held.push(bodies);
      else start(bodies, delayMs);
    },
    deliver: (body, raw) => track(post(body, raw)),
    pending: () => held.length + inFlight.size,
    async flush() {
      while (held.length > 0 || inFlight.size > 0) {
        for (const chain of held.splice(0)) start(chain);
        await Promise.all([...inFlight]);
      }
    },
    deliveries: () => deliveries,
    reset() {
      held.length = 0;
      deliveries.length = 0;
    },
    async close() {
      held.length = 0;
      // Delayed chains not yet started are dropped: their timers would otherwise hold the process.
      closed = true;
      for (const [timer, release] of timers) {
        clearTimeout(timer);
        release();
      }
      timers.clear();
      await Promise.all([...inFlight]);
      agent.destroy();
    },
  };
}
