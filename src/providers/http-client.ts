/**
 * The one HTTP client shape every provider client uses: a `got.extend` instance per provider
 * account/channel, built once and reused (got's per-request option handling is the dominant cost,
 * see notes/http-client.md).
 *
 * Deliberate choices:
 * - `retry.limit = 0`: the queue owns retries, and a POST that timed out may still have been
 *   delivered — only the idempotency key makes a second attempt safe, so the decision belongs upstream.
 * - `throwHttpErrors = false`: providers answer errors with 200s and 4xxs alike; each client
 *   classifies the status and body itself.
 * - Network failures and timeouts become retryable ProviderErrors whose code is got's (ETIMEDOUT,
 *   ECONNREFUSED, …). got's own error is never attached as `cause`: it carries the request options
 *   (URL with Yeastar's `access_token`, `X-API-Key` header) as enumerable properties.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { got, type Got } from 'got';
import type { Logger } from '../observability/logger.js';
import { ProviderError } from './provider-error.js';
import { redactSecrets, scrubValues } from './redact.js';
import type { ProviderName } from './types.js';
import { gatedRequest, type RequestNotWritten, type WriteGate } from './write-deadline.js';

/** Per-phase timeouts in milliseconds (got's `timeout` option). */
export interface HttpTimeouts {
  lookup: number;
  connect: number;
  secureConnect: number;
  /** From socket connected to request body written. */
  send: number;
  /** From request written to response headers received: the provider's think time. */
  response: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  lookup: 2_000,
  connect: 3_000,
  secureConnect: 3_000,
  send: 10_000,
  response: 15_000,
});

/** A provider's answer, whatever its status: JSON parsed when it is JSON, else the raw text. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Per-request options. */
export interface RequestOptions {
  /**
   * Holds the request's bytes at the socket until the gate answers; they are written only if it
   * answers a deadline that has not passed, otherwise nothing is written and the call throws a
   * ProviderError with `notSent` set (write-deadline.ts).
   */
  gate?: WriteGate;
}

export interface ProviderHttp {
  /** POSTs `body` as JSON. Throws a retryable ProviderError on network failure or timeout. */
  postJson(url: string, body: unknown, headers?: Record<string, string>, options?: RequestOptions): Promise<HttpAnswer>;
  /** GETs `url`. Same error contract as postJson. */
  get(url: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  /**
   * POSTs a multipart/form-data body (file uploads). `sendTimeoutMs` replaces the `send` phase
   * timeout, which is sized for small JSON bodies. Same error contract as postJson.
   */
  postForm(url: string, form: FormData, options?: { sendTimeoutMs?: number }): Promise<HttpAnswer>;
  /** Destroys the keep-alive sockets. */
  close(): void;
}

export interface ProviderHttpDeps {
  provider: ProviderName;
  userAgent: string;
  log: Logger;
  timeouts?: Partial<HttpTimeouts>;
  /** Headers sent on every request (e.g. Connectly's X-API-Key). */
  headers?: Record<string, string>;
  /** Values that must never appear in an error message or log line (API keys, secrets). */
  secrets?: readonly string[];
  /** Most sockets per host; campaigns run up to a worker's concurrency in parallel. */
  maxSockets?: number;
}

/**
 * Builds the got instance and agents for one provider account. Call once per channel and reuse.
 */
export function createProviderHttp(deps: ProviderHttpDeps): ProviderHttp {
  const log = deps.log.child({ component: 'http', provider: deps.provider });
  const agentOptions = { keepAlive: true, maxSockets: deps.maxSockets ?? 256, scheduling: 'lifo' as const };
  const agent = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const secrets = deps.secrets ?? [];
  const client: Got = got.extend({
    agent,
    timeout: { ...DEFAULT_HTTP_TIMEOUTS, ...deps.timeouts },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    headers: { 'user-agent': deps.userAgent, accept: 'application/json', ...deps.headers },
  });

  async function run(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    headers?: Record<string, string>,
    form?: { data: FormData; sendTimeoutMs?: number },
    options?: RequestOptions,
  ): Promise<HttpAnswer> {
    let notWritten: RequestNotWritten | undefined;
    try {
      const response = await client(url, {
        method,
        ...(body === undefined ? {} : { json: body }),
        ...(headers ? { headers } : {}),
        ...(form ? { body: form.data, ...(form.sendTimeoutMs ? { timeout: { send: form.sendTimeoutMs } } : {}) } : {}),
        ...(options?.gate ? { request: gatedRequest(options.gate, Date.now, (why) => (notWritten = why)) } : {}),
      });
      return { status: response.statusCode, headers: response.headers, body: parseBody(response.body) };
    } catch (err) {
      if (notWritten) throw notSentError(deps.provider, notWritten);
      throw toNetworkError(deps.provider, method, url, err, secrets, log);
    }
  }

  return {
    postJson: (url, body, headers, options) => run('POST', url, body, headers, undefined, options),
    get: (url, headers) => run('GET', url, undefined, headers),
    postForm: (url, form, options) => run('POST', url, undefined, undefined, { data: form, sendTimeoutMs: options?.sendTimeoutMs }),
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The request was stopped before a byte of it was written (RequestOptions.gate). */
function notSentError(provider: ProviderName, why: RequestNotWritten): ProviderError {
  return new ProviderError({
    provider,
    errorClass: 'retryable',
    providerCode: why.reason === 'deadline-missed' ? 'WRITE_DEADLINE_MISSED' : 'WRITE_GATE_CLOSED',
    providerMessage: why.message,
    notSent: true,
  });
}

/**
 * Turns a got RequestError (or anything thrown below it) into a retryable ProviderError with the
 * network code, scrubbed of secrets.
 */
function toNetworkError(
  provider: ProviderName,
  method: string,
  url: string,
  err: unknown,
  secrets: readonly string[],
  log: Logger,
): ProviderError {
  const raw = err as { code?: unknown; message?: unknown };
  const code = typeof raw.code === 'string' ? raw.code : 'ERR_NETWORK';
  const message = scrubValues(redactSecrets(typeof raw.message === 'string' ? raw.message : String(err)), secrets);
  const safeUrl = scrubValues(redactSecrets(url), secrets);
  log.warn({ code, method, url: safeUrl, reason: message }, 'provider request failed before an answer');
  const cause = Object.assign(new Error(message), { code });
  return new ProviderError({ provider, errorClass: 'retryable', providerCode: code, providerMessage: message, cause });
}
