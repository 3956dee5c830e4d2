/**
 * The Yeastar P-Series provider client for one channel: message/send (new-session and
 * existing-session modes), file upload (message/batchupload) and WhatsApp template lookup
 * (message_channel/whatsapp_template), with the access token shared fleet-wide through the token
 * manager.
 */
import type { Logger } from '../../observability/logger.js';
import { createProviderHttp, type HttpAnswer, type HttpTimeouts, type ProviderHttp } from '../http-client.js';
import { ProviderError } from '../provider-error.js';
import type {
  ChannelSpec,
  FileInfo,
  FileUploader,
  OutboundMessage,
  ProviderClient,
  SendOptions,
  SendResult,
  SharedStore,
  TemplateDirectory,
  UploadFile,
} from '../types.js';
import { classifyYeastarFailure, isTokenExpired } from './errors.js';
import { buildUploadForm } from './file-upload.js';
import { buildYeastarSendRequest } from './request-builder.js';
import { isSuccess, parseSendSuccess, parseTemplateList, parseUploadAnswer } from './response-parser.js';
import { readYeastarAccount } from './settings.js';
import { templateQueryParams, toTemplateDefinition } from './template-lookup.js';
import { createYeastarTokenManager, type YeastarTokenManager } from './token-manager.js';

export interface YeastarClientDeps {
  channel: ChannelSpec;
  store: SharedStore;
  userAgent: string;
  log: Logger;
  timeouts?: Partial<HttpTimeouts>;
  clock?: () => number;
}

export interface YeastarClient extends ProviderClient, FileUploader, TemplateDirectory {
  readonly provider: 'yeastar';
}

/** Time to write up to 100 MB to the PBX (the default `send` timeout is sized for JSON bodies). */
const UPLOAD_SEND_TIMEOUT_MS = 120_000;

/**
 * Builds a client for one Yeastar channel. Throws a permanent ProviderError
 * (CHANNEL_MISCONFIGURED) when the channel's settings or credentials are incomplete.
 */
export function createYeastarClient(deps: YeastarClientDeps): YeastarClient {
  const account = readYeastarAccount(deps.channel);
  const clock = deps.clock ?? Date.now;
  const log = deps.log.child({ module: 'yeastar-client', channelId: deps.channel.id });
  const http: ProviderHttp = createProviderHttp({
    provider: 'yeastar',
    userAgent: deps.userAgent,
    log,
    timeouts: deps.timeouts,
    secrets: [account.clientSecret],
  });
  const tokens: YeastarTokenManager = createYeastarTokenManager({ account, http, store: deps.store, log, clock });

  /** `{base}/{path}?…&access_token=…` — the token is URL-safe as issued; encoded anyway. */
  function url(path: string, token: string, params?: URLSearchParams): string {
    const query = params ? `${params.toString()}&` : '';
    return `${account.baseUrl}/${path}?${query}access_token=${encodeURIComponent(token)}`;
  }

  /** Store or lock failures (Redis down, lock wait exceeded) are worth retrying, not fatal. */
  async function tokenOrRetryable(get: () => Promise<string>): Promise<string> {
    try {
      return await get();
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw new ProviderError({
        provider: 'yeastar',
        errorClass: 'retryable',
        providerCode: 'TOKEN_UNAVAILABLE',
        providerMessage: err instanceof Error ? err.message : String(err),
        cause: err,
      });
    }
  }

  /**
   * One API call with the shared token. Expiry is routine (another process refreshed, or the PBX
   * restarted): renew and retry once. For message/send the same request_id makes that safe.
   * `first` is true for the first request only: a send's write gate (SendOptions.gate) holds it
   * alone — the retry after a renewal follows a request the PBX did receive, under the same
   * rate-limit admission (rare: once per token expiry, not per send).
   */
  async function call(request: (token: string, first: boolean) => Promise<HttpAnswer>): Promise<HttpAnswer> {
    const token = await tokenOrRetryable(() => tokens.getToken());
    const answer = await request(token, true);
    if (!isTokenExpired(answer.body)) return answer;
    return request(await tokenOrRetryable(() => tokens.renew(token)), false);
  }

  /** The answer's payload when it is a success that `parse` can read, else the classified failure. */
  function expect<T>(answer: HttpAnswer, parse: (body: unknown) => T | undefined, what: string): T {
    if (answer.status >= 200 && answer.status < 300 && isSuccess(answer.body)) {
      const result = parse(answer.body);
      if (result !== undefined) return result;
      throw new ProviderError({
        provider: 'yeastar',
        errorClass: 'retryable',
        providerCode: 'BAD_ANSWER',
        providerMessage: `success without ${what}`,
        httpStatus: answer.status,
      });
    }
    throw classifyYeastarFailure(answer, clock());
  }

  return {
    provider: 'yeastar',
    async prepare(): Promise<void> {
      await tokenOrRetryable(() => tokens.getToken());
    },
    async send(message: OutboundMessage, options?: SendOptions): Promise<SendResult> {
      const body = buildYeastarSendRequest(account, message);
      const answer = await call((token, first) => http.postJson(url('message/send', token), body, undefined, first ? options : undefined));
      return expect(answer, parseSendSuccess, 'msg_id');
    },
    async uploadFiles(files: UploadFile[]): Promise<FileInfo[]> {
      buildUploadForm(files); // refuse early (size, names) before a token is fetched
      // A FormData body is consumed by the request, so a retry after token expiry needs a new one.
      const answer = await call((token) =>
        http.postForm(url('message/batchupload', token), buildUploadForm(files), { sendTimeoutMs: UPLOAD_SEND_TIMEOUT_MS }),
      );
      const uploaded = expect(answer, parseUploadAnswer, 'a file list');
      log.info({ files: uploaded.length, bytes: files.reduce((n, f) => n + f.data.length, 0) }, 'files uploaded to the PBX');
      return uploaded;
    },
    async searchTemplates(query = {}) {
      const params = templateQueryParams(query);
      if (account.omnichannelId !== undefined) params.set('omnichannel_id', String(account.omnichannelId));
      const answer = await call((token) => http.get(url('message_channel/whatsapp_template', token, params)));
      const list = expect(answer, parseTemplateList, 'a template list');
      return { total: list.total, templates: list.templates.map(toTemplateDefinition) };
    },
    async close() {
      http.close();
    },
  };
}
