/**
 * Builds the HTTP API without listening, so tests drive it with `app.inject()` and main.ts decides
 * where it listens.
 *
 * Validation: request schemas are TypeBox, checked by TypeBox's compiler. Bodies are taken as sent
 * (no type coercion: `"send_time": "17"` is an error, not 17); query strings and path parameters
 * are converted, since they only ever arrive as text.
 *
 * Body limit: 16 MiB. The largest legitimate body is a campaign with the inline cap of 50,000
 * recipients; at ~40 bytes per entry that is ~2 MB, and ~10 MB with a few variables each.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import type { Config } from '../config/config.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../observability/logger.js';
import type { Queues } from '../queue/queues.js';
import { createAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { AppError } from '../errors/index.js';
import { registerAuth } from './auth-hook.js';
import { toErrorAnswer } from './error-answer.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { channelRoutes } from './routes/channel-routes.js';
import { healthRoutes } from './routes/health-routes.js';

export const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export interface AppDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  queues: Pick<Queues, 'launch'>;
  config: Config;
  log: Logger;
  now?: () => Date;
  /** Defaults to a cached Postgres lookup (see src/auth/authenticator.ts). */
  authenticator?: Authenticator;
}

/** Creates the Fastify app with every route, auth and the error mapping; call `listen()` yourself. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ module: 'api' });
  const app = Fastify({
    // pino's Logger and Fastify's logger type differ only in generics; the instance is the same.
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // JSON only: without this, text/plain bodies would reach the schema and fail as "must be object".
  app.removeContentTypeParser('text/plain');

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((err, request, reply) => {
    const answer = toErrorAnswer(err, { requestId: request.id, bodyLimit: BODY_LIMIT_BYTES });
    if (answer.unexpected) request.log.error({ err }, 'request failed unexpectedly');
    else request.log.info({ code: answer.body.error.code, field: answer.body.error.field }, 'request rejected');
    return reply.code(answer.status).send(answer.body);
  });
  app.setNotFoundHandler(async (request) => {
    throw new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
  });

  const authenticator = deps.authenticator ?? createAuthenticator({ prisma: deps.prisma, log, now });
  registerAuth(app, authenticator);

  await app.register(healthRoutes);
  await app.register(channelRoutes({ prisma: deps.prisma, log: deps.log }));
  await app.register(
    campaignRoutes({
      prisma: deps.prisma,
      pool: deps.pool,
      queues: deps.queues,
      log: deps.log,
      now,
      maxInlineRecipients: deps.config.maxInlineRecipients,
    }),
  );
  await app.ready();
  return app as unknown as FastifyInstance;
}
