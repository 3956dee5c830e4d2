/**
 * The Connectly provider client: session messages (text, document) and WhatsApp templates for one
 * channel, authenticated with the channel's API key.
 */
import type { Logger } from '../../observability/logger.js';
import { createProviderHttp, type HttpTimeouts } from '../http-client.js';
import type { ChannelSpec, OutboundMessage, ProviderClient, SendOptions, SendResult } from '../types.js';
import { classifyConnectlyFailure } from './errors.js';
import { buildConnectlyRequest } from './request-builder.js';
import { parseConnectlySuccess } from './response-parser.js';
import { readConnectlyAccount } from './settings.js';

export interface ConnectlyClientDeps {
  channel: ChannelSpec;
  userAgent: string;
  log: Logger;
  timeouts?: Partial<HttpTimeouts>;
  clock?: () => number;
}

export interface ConnectlyClient extends ProviderClient {
  readonly provider: 'connectly';
}

/**
 * Builds a client for one Connectly channel. Throws a permanent ProviderError
 * (CHANNEL_MISCONFIGURED) when the channel's settings or credentials are incomplete.
 */
export function createConnectlyClient(deps: ConnectlyClientDeps): ConnectlyClient {
  const account = readConnectlyAccount(deps.channel);
  const clock = deps.clock ?? Date.now;
  const log = deps.log.child({ module: 'connectly-client', channelId: deps.channel.id });
  const http = createProviderHttp({
    provider: 'connectly',
    userAgent: deps.userAgent,
    log,
    timeouts: deps.timeouts,
    headers: { 'x-api-key': account.apiKey },
    secrets: [account.apiKey],
  });
  const base = `${account.baseUrl}/v1/businesses/${encodeURIComponent(account.businessId)}/`;

  return {
    provider: 'connectly',
    async send(message: OutboundMessage, options?: SendOptions): Promise<SendResult> {
      const request = buildConnectlyRequest(account, message);
      const answer = await http.postJson(base + request.endpoint, request.body, undefined, options);
      if (answer.status >= 200 && answer.status < 300) {
        const result = parseConnectlySuccess(answer.body);
        if (result) return result;
      }
      throw classifyConnectlyFailure(answer, clock());
    },
    async close() {
      http.close();
    },
  };
}
