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
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../observability/logger.js';
import type { Queues } from '../queue/queues.js';
import { createAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { AppError } from '../errors/index.js';
import { registerAuth } from './auth-hook.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { answerFrameworkError, toErrorAnswer } from './error-answer.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { channelRoutes } from './routes/channel-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { MIGRATIONS_DIR } from '../db/paths.js';
import { createReadiness, queueAsPing, standardChecks } from '../health/readiness.js';
import { createMetricsRegistry } from '../observability/metrics.js';
import { registerQueueMetrics } from '../observability/queue-metrics.js';
import { registerBullBoard } from './plugins/bull-board.js';
import { adminRoutes } from './routes/admin-routes.js';
import { registerHttpMetrics } from './plugins/http-metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerRouteInventory } from './plugins/route-inventory.js';
import { campaignListRoutes } from './routes/campaign-list-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { lifecycleRoutes } from './routes/lifecycle-routes.js';
import { phonebookRoutes } from './routes/phonebook-routes.js';
import { recipientUploadRoutes } from './routes/recipient-upload-routes.js';
import type { CapabilitySource } from '../channels/channel-capabilities.js';
import { registerWebhookRoutes } from '../webhooks/index.js';
import { fileRoutes } from './routes/file-routes.js';
import { templateRoutes } from './routes/template-routes.js';

export const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export interface AppDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** `priority`: the one-off messages' lane; without it POST /v1/messages goes through a launch job. */
  queues: Pick<Queues, 'launch'> & Partial<Pick<Queues, 'priority'>>;
  config: Config;
  log: Logger;
  now?: () => Date;
  /** Defaults to a cached Postgres lookup (see src/auth/authenticator.ts). */
  authenticator?: Authenticator;
  /** Pinged by /readyz; without it, /readyz reads the launch queue instead (one LLEN). */
  redis?: Pick<Redis, 'ping'>;
  /** Queues on the job board (/admin/queues) and in the queue gauges of /metrics; default the launch queue. */
  queuesForAdmin?: readonly Queue[];
  /** The registry /metrics answers from; default a fresh one with the process metrics. */
  metricsRegistry?: Registry;
  /**
   * Provider clients for the API's own provider calls (template lookup and checks, file upload);
   * main.ts builds one over the worker fleet's shared token store. Without it the template and
   * file routes are not registered and campaigns are created without template lookups.
   */
  providers?: CapabilitySource;
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
    frameworkErrors: answerFrameworkError,
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
  // After auth (the limit is per key) and before every route (hooks are inherited by later plugins).
  registerRateLimit(app, { ratePerSecond: deps.config.apiRateLimitPerSecond, burst: deps.config.apiRateLimitBurst });
  registerSecurityHeaders(app);

  // Observability first: the route inventory and the OpenAPI generator learn routes as they are added.
  registerRouteInventory(app);
  const registry = deps.metricsRegistry ?? createMetricsRegistry({ service: 'api' });
  registerHttpMetrics(app, registry);
  const adminQueues = deps.queuesForAdmin ?? [deps.queues.launch];
  registerQueueMetrics(registry, { queues: adminQueues, log, now });
  await registerOpenApi(app);
  const readiness = createReadiness(
    standardChecks({ pool: deps.pool, redis: deps.redis ?? queueAsPing(deps.queues.launch), migrationsDir: MIGRATIONS_DIR }),
  );
  await app.register(healthRoutes({ readiness, log: deps.log }));
  await app.register(metricsRoutes({ registry, token: deps.config.metricsToken }));
  await registerBullBoard(app, { queues: adminQueues, authenticator });
  await app.register(adminRoutes({ prisma: deps.prisma, pool: deps.pool, queues: deps.queues, log: deps.log, now, authenticator, adminQueues }));
  await app.register(campaignListRoutes({ prisma: deps.prisma }));
  await app.register(channelRoutes({ prisma: deps.prisma, log: deps.log, keyring: deps.config.credentialsKeyring }));
  await app.register(
    campaignRoutes({
      prisma: deps.prisma,
      pool: deps.pool,
      queues: deps.queues,
      log: deps.log,
      now,
      maxInlineRecipients: deps.config.maxInlineRecipients,
      providers: deps.providers,
      keyring: deps.config.credentialsKeyring,
    }),
  );
  await app.register(
    messageRoutes({ prisma: deps.prisma, pool: deps.pool, queues: deps.queues, log: deps.log, now, providers: deps.providers, keyring: deps.config.credentialsKeyring }),
  );
  await app.register(lifecycleRoutes({ prisma: deps.prisma, pool: deps.pool, queues: deps.queues, log: deps.log, now }));
  await app.register(recipientUploadRoutes({ pool: deps.pool, log: deps.log }));
  await app.register(phonebookRoutes({ pool: deps.pool, log: deps.log }));
  await registerWebhookRoutes(app, {
    pool: deps.pool,
    prisma: deps.prisma,
    log: deps.log,
    now,
    keyring: deps.config.credentialsKeyring,
    maxEventAgeMs: deps.config.webhookMaxAgeSeconds * 1000,
  });
  if (deps.providers) {
    await app.register(templateRoutes({ prisma: deps.prisma, providers: deps.providers, keyring: deps.config.credentialsKeyring }));
    await app.register(
      fileRoutes({
        prisma: deps.prisma,
        providers: deps.providers,
        log: deps.log,
        keyring: deps.config.credentialsKeyring,
        fetchAllowHosts: deps.config.fetchAllowHosts,
      }),
    );
  }
  await app.ready();
  return app as unknown as FastifyInstance;
}
