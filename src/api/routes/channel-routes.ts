/**
 * POST /v1/channels (admin scope) and GET /v1/channels (read scope). Answers never carry
 * credentials, and nothing here logs the request body.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Compile } from 'typebox/compile';
import type { PrismaClient } from '../../db/prisma.js';
import type { Logger } from '../../observability/logger.js';
import type { Keyring } from '../../security/keyring.js';
import { createChannel, listChannels } from '../../channels/channel-store.js';
import { AppError } from '../../errors/index.js';
import { summariseSchemaErrors, type SchemaError } from '../field-path.js';
import { AUTHENTICATED_ERRORS } from '../schemas/common-schemas.js';
import { ChannelList, ChannelView, CreateChannelBody, PROVIDER_CONFIG_SCHEMAS } from '../schemas/channel-schemas.js';

export interface ChannelRoutesDeps {
  prisma: PrismaClient;
  log: Logger;
  /** Encrypts the credentials at rest (config.credentialsKeyring). */
  keyring: Keyring;
}

/** Compiled once: checking a provider's settings and credentials is then a plain function call. */
const PROVIDER_CHECKS = {
  yeastar: {
    settings: Compile(PROVIDER_CONFIG_SCHEMAS.yeastar.settings),
    credentials: Compile(PROVIDER_CONFIG_SCHEMAS.yeastar.credentials),
  },
  connectly: {
    settings: Compile(PROVIDER_CONFIG_SCHEMAS.connectly.settings),
    credentials: Compile(PROVIDER_CONFIG_SCHEMAS.connectly.credentials),
  },
};

/** @throws AppError VALIDATION_FAILED naming e.g. `settings.baseUrl` or `credentials.apiKey`. */
function checkProviderConfig(body: CreateChannelBody): void {
  const checks = PROVIDER_CHECKS[body.provider];
  for (const part of ['settings', 'credentials'] as const) {
    const check = checks[part];
    if (!check.Check(body[part])) {
      const errors = [...check.Errors(body[part])] as unknown as SchemaError[];
      const { field, message } = summariseSchemaErrors(errors, { prefix: part, container: part });
      throw new AppError('VALIDATION_FAILED', `${message} (provider ${body.provider})`, field === undefined ? {} : { field });
    }
  }
}

export function channelRoutes(deps: ChannelRoutesDeps): FastifyPluginAsyncTypebox {
  const log = deps.log.child({ module: 'channel-routes' });
  return async (app) => {
    app.post(
      '/v1/channels',
      {
        config: { scope: 'admin' },
        schema: { body: CreateChannelBody, response: { 201: ChannelView, ...AUTHENTICATED_ERRORS } },
      },
      async (request, reply) => {
        const body = request.body;
        checkProviderConfig(body);
        const channel = await createChannel(deps.prisma, {
          name: body.name,
          provider: body.provider,
          kind: body.kind,
          senderId: body.sender_id,
          ratePerSecond: body.rate_per_second ?? 20,
          settings: body.settings as Record<string, unknown>,
          credentials: body.credentials as Record<string, unknown>,
        }, deps.keyring);
        log.info({ channelId: channel.id, provider: channel.provider, kind: channel.kind, reqId: request.id }, 'channel created');
        return reply.code(201).send(channel);
      },
    );

    app.get(
      '/v1/channels',
      { config: { scope: 'read' }, schema: { response: { 200: ChannelList, ...AUTHENTICATED_ERRORS } } },
      async () => ({ items: await listChannels(deps.prisma) }),
    );
  };
}
