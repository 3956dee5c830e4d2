/**
 * The whole product in one process for campaign-level provider tests: a fresh schema, a queue
 * prefix, the real API (buildApp with a provider registry over the same Redis token store the
 * workers use), an in-process worker runtime, and an API key with every scope. Channels and
 * campaigns are created through the API; the simulators are the test file's own.
 * `close()` releases everything, so jest exits on its own.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createServer, type AddressInfo } from 'node:net';
import { buildApp } from '../../../src/api/build-app.js';
import { createApiKey } from '../../../src/auth/api-keys.js';
import { loadConfig } from '../../../src/config/config.js';
import { createProviderRegistry, type ProviderRegistry } from '../../../src/providers/registry.js';
import { createQueues, type Queues } from '../../../src/queue/queues.js';
import { createRedisSharedStore } from '../../../src/queue/redis-shared-store.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { silentLog, startRuntime, waitForCampaignCompleted } from '../dispatch/fixtures.js';

export interface E2e {
  app: FastifyInstance;
  db: TestDatabase;
  redis: TestRedis;
  queues: Queues;
  providers: ProviderRegistry;
  runtime: WorkerRuntime;
  /** The API's base URL once `listen()` was called. */
  baseUrl?: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Listens on 127.0.0.1 (for simulators that post webhooks) and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createE2e(label: string): Promise<E2e> {
  const db = await createTestDatabase(label);
  const redis = await createTestRedis(label);
  const queues = createQueues(redis.redis, redis.prefix);
  // The workers' key prefix (workers/runtime.ts): API and workers share one Yeastar token.
  const store = createRedisSharedStore(redis.redis, `${redis.prefix}:shared:`);
  const providers = createProviderRegistry({ store, userAgent: 'campaign-dispatch-test/0.1', log: silentLog });
  const app = await buildApp({ prisma: db.prisma, pool: db.pool, queues, config: loadConfig({}), log: silentLog, providers });
  const runtime = await startRuntime(db, redis, 20);
  const { key } = await createApiKey(db.prisma, 'e2e');
  const e2e: E2e = {
    app,
    db,
    redis,
    queues,
    providers,
    runtime,
    request: (opts) => app.inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } }),
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      e2e.baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      return e2e.baseUrl;
    },
    async close() {
      await runtime.close();
      await app.close();
      await providers.close();
      await queues.close();
      await redis.close();
      await db.close();
    },
  };
  return e2e;
}

/** A free local port, for a simulator that must know the channel id (its webhook URL) before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** POST /v1/channels; returns the id. */
export async function createChannel(e2e: E2e, body: Record<string, unknown>): Promise<string> {
  const res = await e2e.request({ method: 'POST', url: '/v1/channels', payload: { name: 'e2e', rate_per_second: 1000, ...body } });
  if (res.statusCode !== 201) throw new Error(`channel not created: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

/** POST /v1/campaigns with `send_type: immediately` unless given. */
export function postCampaign(e2e: E2e, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return e2e.request({ method: 'POST', url: '/v1/campaigns', payload: { name: 'e2e', recipient_type: 'input', send_type: 'immediately', ...body } });
}

/** Creates a campaign (201 expected) and waits until it has completed. */
export async function runCampaign(e2e: E2e, body: Record<string, unknown>): Promise<string> {
  const res = await postCampaign(e2e, body);
  if (res.statusCode !== 201) throw new Error(`campaign not created: ${res.statusCode} ${res.body}`);
  const id = res.json<{ id: string }>().id;
  await waitForCampaignCompleted(e2e.db.pool, id);
  return id;
}

export interface E2eRow {
  id: string;
  number: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  sent_content: string | null;
  reason: string | null;
  delivered_at: Date | null;
  read_at: Date | null;
}

export async function ledger(e2e: E2e, campaignId: string): Promise<E2eRow[]> {
  const { rows } = await e2e.db.pool.query<E2eRow>(
    `SELECT id::text AS id, number, status::text AS status, attempts, provider_message_id, last_error_code, last_error_message,
            sent_content, reason, delivered_at, read_at
       FROM campaign_recipients WHERE campaign_id = $1 ORDER BY number`,
    [campaignId],
  );
  return rows;
}

/** A multipart/form-data body with the given files in field `files`. */
export function multipart(files: { name: string; type: string; data: Buffer }[], boundary = 'e2e-boundary-7MA4YWxkTrZu0gW'): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * `count` test numbers (+14155000000 + first + i) as `number_list` entries, with per-recipient
 * variables. Tests on WhatsApp channels use distinct `first`s: the pair limit (one message per
 * ~6 s to the same user) would otherwise make a later test wait for an earlier one's recipients.
 */
export function numberList(
  count: number,
  variables?: (i: number) => Record<string, string>,
  first = 0,
): { number: string; variables?: Record<string, string> }[] {
  return Array.from({ length: count }, (_, i) => ({
    number: `+1415${String(5_000_000 + first + i).padStart(7, '0')}`,
    ...(variables ? { variables: variables(first + i) } : {}),
  }));
}
