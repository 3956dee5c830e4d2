/**
 * The Yeastar P-Series provider client: message/send in new-session mode, one channel per client,
 * the access token shared fleet-wide through the token manager.
 */
import type { Logger } from '../../observability/logger.js';
import { createProviderHttp, type HttpAnswer, type HttpTimeouts, type ProviderHttp } from '../http-client.js';
import { ProviderError } from '../provider-error.js';
import type { ChannelSpec, OutboundMessage, ProviderClient, SendResult, SharedStore } from '../types.js';
import { classifyYeastarFailure, isTokenExpired } from './errors.js';
import { buildYeastarSendRequest } from './request-builder.js';
import { isSuccess, parseSendSuccess } from './response-parser.js';
import { readYeastarAccount } from './settings.js';
import { createYeastarTokenManager, type YeastarTokenManager } from './token-manager.js';

export interface YeastarClientDeps {
  channel: ChannelSpec;
  store: SharedStore;
  userAgent: string;
  log: Logger;
  timeouts?: Partial<HttpTimeouts>;
  clock?: () => number;
}

export interface YeastarClient extends ProviderClient {
  readonly provider: 'yeastar';
}

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
  const sendUrl = `${account.baseUrl}/message/send?access_token=`;

  async function post(token: string, body: unknown): Promise<HttpAnswer> {
    // The token is URL-safe as issued; encode anyway so a surprising character cannot break the URL.
    return http.postJson(sendUrl + encodeURIComponent(token), body);
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

  return {
    provider: 'yeastar',
    async send(message: OutboundMessage): Promise<SendResult> {
      const body = buildYeastarSendRequest(account, message);
      const token = await tokenOrRetryable(() => tokens.getToken());
      let answer = await post(token, body);
      if (isTokenExpired(answer.body)) {
        // Expiry is routine (another process refreshed, or the PBX restarted): renew and retry
        // once. The same request_id makes the second attempt safe.
        answer = await post(await tokenOrRetryable(() => tokens.renew(token)), body);
      }
      if (answer.status >= 200 && answer.status < 300 && isSuccess(answer.body)) {
        const result = parseSendSuccess(answer.body);
        if (result) return result;
        throw new ProviderError({
          provider: 'yeastar',
          errorClass: 'retryable',
          providerCode: 'BAD_ANSWER',
          providerMessage: 'success without msg_id',
          httpStatus: answer.status,
        });
      }
      throw classifyYeastarFailure(answer, clock());
    },
    async close() {
      http.close();
    },
  };
}
