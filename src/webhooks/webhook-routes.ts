/**
 * The provider webhook routes, in their own encapsulated Fastify plugin so that their raw-body
 * parser (the signature is over the exact bytes received) and their error answers do not touch
 * any other route:
 *   POST /v1/webhooks/yeastar[/:channelId]     signed in X-Signature
 *   POST /v1/webhooks/connectly[/:channelId]   signed in x-connectly-hmac-sha256
 * No API key: the signature under the channel's `credentials.webhookSecret` is the authentication.
 * Without a channel id, every channel of the provider with a secret is tried and the one whose
 * secret signed the body is the channel the event belongs to.
 *
 * Answers: 200 {ok:true} once the event is recorded (or deliberately ignored — unknown message
 * ids, unhandled event types); 401 WEBHOOK_SIGNATURE_INVALID with nothing changed; 404
 * CHANNEL_NOT_FOUND for an id that is no channel of that provider; 400 for a signed body that is
 * not JSON (INVALID_JSON) or not the provider's envelope (WEBHOOK_PAYLOAD_INVALID); 400
 * WEBHOOK_STALE for a signed event outside the replay window (replay-guard.ts; a body processed
 * moments ago is acknowledged again without being re-applied); 413 above the body limit; 500 when
 * Postgres fails (the providers retry non-200 answers, which is what we want).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { Type } from 'typebox';
import type { PrismaClient } from '../db/prisma.js';
import { ERROR_CODES, isAppError, type ErrorCode } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import type { ProviderName } from '../providers/types.js';
import type { Keyring } from '../security/keyring.js';
import { createChannelSecrets, type ChannelSecrets, type WebhookChannel } from './channel-secrets.js';
import { parseConnectlyEvent } from './connectly-events.js';
import { findSigner, SIGNATURE_HEADER } from './signature.js';
import { WebhookPayloadError, type WebhookEvent } from './webhook-events.js';
import { createWebhookProcessor } from './webhook-processor.js';
import { parseYeastarEvent } from './yeastar-events.js';
import { checkReplayWindow, createRecentDeliveries, deliveryTimeOf } from './replay-guard.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No API key needed (see src/api/auth-hook.ts, which declares the same flag). */
    public?: boolean;
  }
}

/** The answers, for the API description (the bodies are written by `handle` and the error handler). */
const WebhookError = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });
const WEBHOOK_SCHEMA = {
  description:
    "A provider's signed event (receipts, inbound messages). No API key: the signature under the channel's credentials.webhookSecret authenticates it.",
  response: {
    200: Type.Object({ ok: Type.Literal(true) }),
    400: WebhookError,
    401: WebhookError,
    404: WebhookError,
    413: WebhookError,
    500: WebhookError,
  },
};

/** Provider events are small JSON objects; 1 MiB leaves room for long texts and file lists. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

export interface WebhookRouteDeps {
  pool: pg.Pool;
  /** Kept for the lead's wiring symmetry with the API routes; the hot paths use `pool` (raw SQL). */
  prisma: PrismaClient;
  log: Logger;
  now?: () => Date;
  /** Defaults to a 30-second cache over `pool`. */
  secrets?: ChannelSecrets;
  /** Decrypts the channels' credentials for their webhook secrets (config.credentialsKeyring). */
  keyring?: Keyring;
  /**
   * The replay window (config.webhookMaxAgeSeconds × 1000): events stamped further from now are
   * refused. Without it no age check is made (tests replaying fixed historical events).
   */
  maxEventAgeMs?: number;
}

/** How long an identical body is remembered when no replay window is configured. */
const DEFAULT_DEDUPE_MS = 5 * 60_000;

const PARSERS: Readonly<Record<ProviderName, (body: unknown, now: Date) => WebhookEvent>> = {
  yeastar: parseYeastarEvent,
  connectly: parseConnectlyEvent,
};

function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

/** Registers the webhook routes on `app` inside their own encapsulated context. */
export async function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ module: 'webhooks' });
  const secrets =
    deps.secrets ??
    createChannelSecrets({
      pool: deps.pool,
      now,
      keyring: deps.keyring,
      onUnreadable: (channelId) => log.error({ channelId }, "the channel's credentials cannot be decrypted; its webhooks are refused"),
    });
  const recent = createRecentDeliveries({ ttlMs: deps.maxEventAgeMs ?? DEFAULT_DEDUPE_MS });
  const processEvent = createWebhookProcessor({ pool: deps.pool, log: deps.log });

  /** The channel whose secret signed `raw`; 'unknown_channel' for an id that is none of ours. */
  async function signingChannel(
    provider: ProviderName,
    channelId: string | undefined,
    raw: Buffer,
    signature: string | string[] | undefined,
  ): Promise<WebhookChannel | 'unknown_channel' | undefined> {
    if (signature === undefined || signature === '') return undefined;
    const wanted = channelId?.toLowerCase();
    for (const fresh of [false, true]) {
      const channels = await secrets.list(provider, { fresh });
      const candidates = wanted === undefined ? channels : channels.filter((c) => c.id === wanted);
      const match = findSigner(raw, signature, candidates.filter((c) => c.secret !== ''));
      if (match) return match;
      if (fresh && wanted !== undefined && candidates.length === 0) return 'unknown_channel';
    }
    return undefined;
  }

  async function handle(provider: ProviderName, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const channelId = (request.params as { channelId?: string }).channelId;
    const channel = await signingChannel(provider, channelId, raw, request.headers[SIGNATURE_HEADER[provider]]);
    if (channel === 'unknown_channel') {
      return reply.code(404).send(errorBody('CHANNEL_NOT_FOUND', `no ${provider} channel ${channelId}`));
    }
    if (!channel) {
      log.warn({ provider, channelId, bytes: raw.length }, 'webhook refused: signature missing or wrong');
      return reply.code(401).send(errorBody('WEBHOOK_SIGNATURE_INVALID', `sign the body with the channel's webhookSecret in ${SIGNATURE_HEADER[provider]}`));
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send(errorBody('INVALID_JSON', 'the body is not valid JSON'));
    }
    const at = now();
    if (deps.maxEventAgeMs !== undefined) {
      const verdict = checkReplayWindow(deliveryTimeOf(provider, body), at, deps.maxEventAgeMs);
      if (!verdict.ok) {
        log.warn({ provider, channelId: channel.id, reason: verdict.reason, stamped: verdict.at.toISOString() }, 'signed webhook outside the replay window');
        const window = Math.round(deps.maxEventAgeMs / 1000);
        return reply.code(400).send(errorBody('WEBHOOK_STALE', `the event's timestamp is ${verdict.reason === 'stale' ? 'older' : 'later'} than ${window} s from now`));
      }
    }
    if (recent.seen(channel.id, raw, at)) {
      log.info({ provider, channelId: channel.id }, 'webhook body already processed moments ago; acknowledged without acting again');
      return reply.code(200).send({ ok: true });
    }
    let event: WebhookEvent;
    try {
      event = PARSERS[provider](body, at);
    } catch (err) {
      if (!(err instanceof WebhookPayloadError)) throw err;
      log.warn({ provider, channelId: channel.id, problem: err.message }, 'signed webhook with an unreadable payload');
      return reply.code(400).send(errorBody('WEBHOOK_PAYLOAD_INVALID', err.message));
    }
    await processEvent({ channelId: channel.id, provider }, event);
    // Remembered only once applied: a body whose processing failed (500) must be retried for real.
    recent.remember(channel.id, raw, at);
    return reply.code(200).send({ ok: true });
  }

  await app.register(async (scope) => {
    // Raw bytes for every content type: the signature is verified before anything is parsed, and
    // a provider that labels its JSON oddly is still heard (the signature proves who sent it).
    scope.removeAllContentTypeParsers();
    const asBuffer = (_req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: Buffer) => void): void => done(null, body);
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, asBuffer);
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, asBuffer);

    scope.setErrorHandler((err, request, reply) => {
      const e = err as { code?: string; statusCode?: number; message?: string };
      if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', `the body is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes`));
      }
      if (isAppError(err)) return reply.code(ERROR_CODES[err.code].status).send(errorBody(err.code, err.message));
      if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
        return reply.code(e.statusCode).send(errorBody('VALIDATION_FAILED', e.message ?? 'the request is invalid'));
      }
      log.error({ err, url: request.url }, 'webhook processing failed; the provider will retry');
      return reply.code(500).send(errorBody('INTERNAL', 'the event could not be recorded; retry later'));
    });

    const options = { bodyLimit: WEBHOOK_BODY_LIMIT_BYTES, config: { public: true }, schema: WEBHOOK_SCHEMA };
    for (const provider of ['yeastar', 'connectly'] as const) {
      scope.post(`/v1/webhooks/${provider}`, options, (request, reply) => handle(provider, request, reply));
      scope.post(`/v1/webhooks/${provider}/:channelId`, options, (request, reply) => handle(provider, request, reply));
    }
  });
}
