/**
 * When a dependency fails mid-request: Redis down after the commit still accepts the campaign
 * (the reconciler enqueues its launch later); anything unexpected is a 500 that leaks nothing.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { buildApp } from '../../../src/api/build-app.js';
import { createApiKey } from '../../../src/auth/api-keys.js';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/observability/logger.js';
import { LAUNCH_QUEUE, type LaunchJobData } from '../../../src/queue/names.js';
import { createQueues } from '../../../src/queue/queues.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis } from '../../helpers/redis.js';
import { insertChannel } from './api-harness.js';

let db: TestDatabase;
let channelId: string;
let key: string;
const log = createLogger({ level: 'silent', pretty: false });

beforeAll(async () => {
  db = await createTestDatabase('api_deps');
  channelId = await insertChannel(db, 'sms');
  key = (await createApiKey(db.prisma, 'k')).key;
});
afterAll(async () => {
  await db.close();
});

const payload = (sendType: string) => ({
  name: 'x',
  channel_id: channelId,
  recipient_type: 'input',
  number_list: [{ number: '+8613800001111' }],
  content_type: 'text',
  content: 'hi',
  send_type: sendType,
});

test('Redis unreachable after the commit: 201, the campaign is running and persisted', async () => {
  // A real BullMQ queue on a port nothing listens on; no offline queue, so commands fail at once.
  const connection = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  connection.on('error', () => undefined);
  const launch = new Queue<LaunchJobData>(LAUNCH_QUEUE, { connection, prefix: 'unreachable' });
  launch.on('error', () => undefined);
  const app = await buildApp({ prisma: db.prisma, pool: db.pool, queues: { launch }, config: loadConfig({}), log });
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: { authorization: `Bearer ${key}` }, payload: payload('immediately') });
    expect(res.statusCode).toBe(201);
    const campaign = await db.prisma.campaign.findUniqueOrThrow({ where: { id: res.json().id } });
    expect(campaign).toMatchObject({ status: 'running', recipientCount: 1, fanOutCompletedAt: null });
  } finally {
    await app.close();
    await launch.close().catch(() => undefined);
    // The failed connection has ended; disconnecting it again would arm ioredis's 2 s close timer.
    if (connection.status !== 'end') connection.disconnect();
  }
});

test('an unexpected failure is 500 INTERNAL with the request id and no internals', async () => {
  const deadPool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test' });
  await deadPool.end();
  const redis = await createTestRedis('api_deps');
  const queues = createQueues(redis.redis, redis.prefix);
  const app = await buildApp({ prisma: db.prisma, pool: deadPool, queues, config: loadConfig({}), log });
  try {
    const res = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: { authorization: `Bearer ${key}` }, payload: payload('draft') });
    expect(res.statusCode).toBe(500);
    const { error } = res.json();
    expect(error.code).toBe('INTERNAL');
    expect(error.details.request_id).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(error)).not.toMatch(/pool|stack|pg/i);
  } finally {
    await app.close();
    await queues.close();
    await redis.close();
  }
});
