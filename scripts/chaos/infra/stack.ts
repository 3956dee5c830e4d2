/**
 * One scenario's running system: a fresh database on the private cluster (migrated), a fresh
 * queue prefix on the private Redis, the API and three workers as separate processes, an API key
 * a provider simulator process, and a Yeastar SMS channel pointing at it through the fault proxy.
 * `close()` stops the processes; the cluster and Redis outlive scenarios and are closed by main.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type pg from 'pg';
import { createApiKey } from '../../../src/auth/api-keys.js';
import { createPool } from '../../../src/db/connection.js';
import { migrate } from '../../../src/db/migrator.js';
import { MIGRATIONS_DIR, REPO_ROOT } from '../../../src/db/paths.js';
import { createPrisma } from '../../../src/db/prisma.js';
import { createRedis } from '../../../src/queue/connection.js';
import { SEND_QUEUE } from '../../../src/queue/names.js';
import { createApiClient, type ApiClient } from '../../demo/api-client.js';
import { channelBodies } from '../../demo/channels.js';
import { freePort } from '../../demo/free-port.js';
import { ensureDatabase } from '../../ensure-database.js';
import type { PostgresCluster } from './postgres-cluster.js';
import type { RedisServer } from './redis-server.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';
import { superviseProcess, type SupervisedProcess } from './supervised-process.js';
import { CHANNEL_RATE_PER_SECOND, CHAOS_WORKER_ENV, WORKER_COUNT } from './tuning.js';

/** Stacks not closed yet: a Ctrl-C or a CI timeout must not leave their processes behind. */
const openStacks = new Set<() => Promise<void>>();

/** Stops the processes of every stack still open (main.ts, on a signal, before the infra goes). */
export async function closeOpenStacks(): Promise<void> {
  await Promise.allSettled([...openStacks].map((close) => close()));
}

/** What outlives scenarios: the private Postgres cluster and Redis, and where logs go. */
export interface ChaosInfra {
  postgres: PostgresCluster;
  redis: RedisServer;
  logRoot: string;
}

export interface Stack {
  name: string;
  infra: ChaosInfra;
  /** The BullMQ queue prefix of this scenario. */
  queuePrefix: string;
  /** Our own pool on the scenario's database (errors swallowed: Postgres may be restarting). */
  pool: pg.Pool;
  /** This scenario's provider simulator (fresh per scenario, so its log is this scenario's). */
  sim: SimulatorProcess;
  api: SupervisedProcess;
  apiUrl: string;
  workers: SupervisedProcess[];
  client: ApiClient;
  apiKey: string;
  channelId: string;
  /** Unexpected exits of every process, by name. */
  crashes(): Record<string, string[]>;
  close(): Promise<void>;
}

export async function startStack(infra: ChaosInfra, name: string): Promise<Stack> {
  const database = `chaos_${name.replace(/[^a-z0-9]/gi, '_')}_${Date.now()}`;
  const databaseUrl = infra.postgres.url(database);
  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, 4);
  pool.on('error', () => undefined); // idle clients die when a scenario restarts Postgres
  await migrate(pool, MIGRATIONS_DIR);
  await infra.redis.flushAll();

  const logDir = join(infra.logRoot, name);
  mkdirSync(logDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: infra.redis.url,
    QUEUE_PREFIX: `chaos-${name}`,
    LOG_LEVEL: 'info',
    ...CHAOS_WORKER_ENV,
  };
  const sim = await startSimulatorProcess();
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const api = superviseProcess({ name: 'api', script: join(REPO_ROOT, 'dist/src/api/main.js'), env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, logDir, cwd: REPO_ROOT });
  const workers: SupervisedProcess[] = [];
  for (let i = 1; i <= WORKER_COUNT; i++) {
    const workerEnv = { ...env, WORKER_HEALTH_PORT: String(await freePort()) };
    workers.push(superviseProcess({ name: `worker-${i}`, script: join(REPO_ROOT, 'dist/workers/main.js'), env: workerEnv, logDir, cwd: REPO_ROOT }));
  }
  const all = [api, ...workers];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await Promise.allSettled(all.map((p) => p.stop()));
      await sim.stop();
      await pool.end().catch(() => undefined);
      openStacks.delete(close);
    })());
  openStacks.add(close);
  try {
    for (const p of all) p.start();
    await waitHealthy(apiUrl, api);
    await waitWorkers(infra.redis.url, `chaos-${name}`, WORKER_COUNT);

    const prisma = createPrisma(databaseUrl, 1);
    let apiKey: string;
    try {
      apiKey = (await createApiKey(prisma, `chaos ${name}`)).key;
    } finally {
      await prisma.$disconnect();
    }
    const client = createApiClient(apiUrl, apiKey);
    const channel = await client.post<{ id: string }>('/v1/channels', channelBodies({ yeastar: sim.baseUrl, connectly: 'http://127.0.0.1:1' }, CHANNEL_RATE_PER_SECOND).yeastar);
    return {
      name,
      infra,
      queuePrefix: `chaos-${name}`,
      pool,
      sim,
      api,
      apiUrl,
      workers,
      client,
      apiKey,
      channelId: channel.id,
      crashes: () => Object.fromEntries(all.map((p) => [p.name, p.unexpectedExits()]).filter(([, c]) => c!.length > 0)),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function waitHealthy(apiUrl: string, api: SupervisedProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`API not healthy within 60 s:\n${api.logTail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** BullMQ lists a queue's workers from CLIENT LIST: wait until every worker consumes `send`. */
async function waitWorkers(redisUrl: string, prefix: string, count: number): Promise<void> {
  const connection = createRedis(redisUrl);
  const queue = new Queue(SEND_QUEUE, { connection, prefix });
  const deadline = Date.now() + 60_000;
  try {
    while ((await queue.getWorkers()).length < count) {
      if (Date.now() > deadline) throw new Error(`fewer than ${count} workers consuming within 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

