/**
 * Everything an operator's tools talk to, running for real in this process: the API listening on a
 * free port (both queues on its job board and GET /v1/queues, as main.ts has it), an in-process
 * worker runtime and the Yeastar simulator, on a fresh schema and queue prefix — plus an SMS
 * channel paced by its rate limit and one key per role. For the dashboard's browser test and the
 * CLI tests, which need a real socket; `close()` releases all of it.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/build-app.js';
import { createApiKey } from '../../../src/auth/api-keys.js';
import { loadConfig } from '../../../src/config/config.js';
import { createQueues, type Queues } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
import { insertChannel, startRuntime, testNumber } from '../dispatch/fixtures.js';

export interface LiveStack {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  db: TestDatabase;
  redis: TestRedis;
  queues: Queues;
  sim: YeastarSimulator;
  runtime: WorkerRuntime;
  channelId: string;
  keys: { admin: string; read: string };
  /** Creates a campaign sending `count` recipients at once (text "Hello {{name}}"); returns its id. */
  startCampaign(name: string, count: number): Promise<string>;
  close(): Promise<void>;
}

export async function startLiveStack(label: string, options: { ratePerSecond: number; concurrency?: number }): Promise<LiveStack> {
  const db = await createTestDatabase(label);
  const redis = await createTestRedis(label);
  const queues = createQueues(redis.redis, redis.prefix);
  const app = await buildApp({
    prisma: db.prisma,
    pool: db.pool,
    queues,
    config: loadConfig({}),
    log: testLogger(),
    redis: redis.redis,
    queuesForAdmin: [queues.launch, queues.send],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const sim = await startYeastarSimulator();
  const channelId = await insertChannel(db.pool, {
    provider: 'yeastar',
    kind: 'sms',
    senderId: '+15550193510',
    settings: { baseUrl: sim.url, channelType: 'twilio' },
    credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    ratePerSecond: options.ratePerSecond,
  });
  const runtime = await startRuntime(db, redis, options.concurrency ?? 20);
  const keys = {
    admin: (await createApiKey(db.prisma, 'operator', ['read', 'send', 'admin'])).key,
    read: (await createApiKey(db.prisma, 'viewer', ['read'])).key,
  };
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    app,
    baseUrl,
    db,
    redis,
    queues,
    sim,
    runtime,
    channelId,
    keys,
    async startCampaign(name, count) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/campaigns',
        headers: { authorization: `Bearer ${keys.admin}` },
        payload: {
          name,
          channel_id: channelId,
          recipient_type: 'input',
          number_list: Array.from({ length: count }, (_, i) => ({ number: testNumber(i), variables: { name: `N${i}` } })),
          content_type: 'text',
          content: 'Hello {{name}}',
          send_type: 'immediately',
        },
      });
      if (res.statusCode !== 201) throw new Error(`campaign not created: ${res.statusCode} ${res.body}`);
      return (res.json() as { id: string }).id;
    },
    async close() {
      await runtime.close();
      await app.close();
      await sim.close();
      await queues.close();
      await redis.close();
      await db.close();
    },
  };
}
