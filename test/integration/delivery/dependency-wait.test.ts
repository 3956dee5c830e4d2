/**
 * No crash loop when a dependency is down at start (src/health/retry-until-ready.ts): real worker
 * and API processes started with Postgres or Redis behind a port that refuses connections, opened
 * ~3 s later. Each process must still be alive while it waits — /healthz 200, /readyz 503 — and
 * then start normally: the worker dispatches a campaign, the API becomes ready. A SIGTERM while
 * waiting ends the process with 0.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createQueues, enqueueLaunch, type Queues } from '../../../src/queue/queues.js';
import { createTestDatabase, TEST_DATABASE_BASE_URL, type TestDatabase } from '../../helpers/database.js';
import { createLateProxy, freePort, viaProxy, type LateProxy } from '../../helpers/late-proxy.js';
import { createTestRedis, TEST_REDIS_URL, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { insertCampaign, insertChannel, insertRecipients, recipientsOf, waitFor, waitForCampaignCompleted } from '../dispatch/fixtures.js';
import { ensureBuilt, spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.js';

jest.setTimeout(120_000);
const DOWN_MS = 3_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const target = (url: string) => ({ host: '127.0.0.1', port: Number(new URL(url).port || 0) });

/** The JSON log lines a process wrote so far. */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

async function getStatus(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a process started while Postgres or Redis is down', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let queues: Queues;
  let channelId: string;
  const processes: WorkerProcess[] = [];
  const proxies: LateProxy[] = [];

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase('dependency_wait');
    redis = await createTestRedis('dependency-wait');
    sim = await startConnectlySimulator();
    queues = createQueues(redis.redis, redis.prefix);
    channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'sms',
      senderId: '+15550192002',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
    });
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => stopWorker(p)));
    await Promise.all(proxies.map((p) => p.close()));
    await queues?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  async function lateProxy(url: string): Promise<LateProxy> {
    const proxy = await createLateProxy(target(url));
    proxies.push(proxy);
    return proxy;
  }

  /** Asserts the waiting worker is alive, live and not ready, and has logged its retries. */
  async function expectWaiting(worker: WorkerProcess): Promise<number> {
    await sleep(DOWN_MS);
    expect({ exitCode: worker.child.exitCode, signal: worker.child.signalCode }).toEqual({ exitCode: null, signal: null });
    const lines = logLines(worker.output());
    const retries = lines.filter((l) => l.level === 40 && String(l.msg).includes('not reachable; trying again'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.every((l) => typeof l.nextDelayMs === 'number')).toBe(true);
    const port = lines.find((l) => l.msg === 'health server listening')?.port as number;
    expect((await getStatus(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await getStatus(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('not_ready');
    return port;
  }

  async function dispatchSmallCampaign(first: number): Promise<void> {
    const campaignId = await insertCampaign(db.pool, { channelId, content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, 20, first);
    await enqueueLaunch(queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId, 60_000);
    expect((await recipientsOf(db.pool, campaignId)).every((r) => r.status === 'sent')).toBe(true);
  }

  const workerEnv = (overrides: Record<string, string>) => ({
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    WORKER_CONCURRENCY: '10',
    LOG_LEVEL: 'info',
    ...overrides,
  });

  it('a worker waits for Postgres, then dispatches a campaign', async () => {
    const postgres = await lateProxy(TEST_DATABASE_BASE_URL);
    const worker = spawnWorker(workerEnv({ DATABASE_URL: viaProxy(db.url, postgres) }));
    processes.push(worker);
    const port = await expectWaiting(worker);

    await postgres.open();
    await waitFor('the worker to be ready', async () => (await getStatus(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);
    sim.reset();
    await dispatchSmallCampaign(0);
    expect(sim.acceptedSends()).toHaveLength(20);
    await stopWorker(worker);
    expect(await worker.exited).toBe(0);
  });

  it('a worker waits for Redis, then dispatches a campaign', async () => {
    const redisProxy = await lateProxy(TEST_REDIS_URL);
    const worker = spawnWorker(workerEnv({ REDIS_URL: viaProxy(redis.url, redisProxy) }));
    processes.push(worker);
    const port = await expectWaiting(worker);

    await redisProxy.open();
    await waitFor('the worker to be ready', async () => (await getStatus(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);
    sim.reset();
    await dispatchSmallCampaign(100);
    expect(sim.acceptedSends()).toHaveLength(20);
    await stopWorker(worker);
    expect(await worker.exited).toBe(0);
  });

  it('a worker SIGTERMed while waiting exits 0', async () => {
    const postgres = await lateProxy(TEST_DATABASE_BASE_URL);
    const worker = spawnWorker(workerEnv({ DATABASE_URL: viaProxy(db.url, postgres) }));
    processes.push(worker);
    await waitFor('a retry', async () => worker.output().includes('trying again'), 30_000);
    const began = Date.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it('the API waits for Postgres — live, not ready — then serves', async () => {
    const postgres = await lateProxy(TEST_DATABASE_BASE_URL);
    const port = await freePort();
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/api/main.js')], {
      env: { ...process.env, ...workerEnv({ DATABASE_URL: viaProxy(db.url, postgres) }), PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => void (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (output += c.toString()));
    const api: WorkerProcess = {
      child,
      exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code))),
      output: () => output,
    };
    processes.push(api);

    await sleep(DOWN_MS);
    expect({ exitCode: child.exitCode, signal: child.signalCode }).toEqual({ exitCode: null, signal: null });
    expect(logLines(output).filter((l) => l.level === 40 && String(l.msg).includes('trying again')).length).toBeGreaterThanOrEqual(2);
    expect((await getStatus(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const waiting = await getStatus(`http://127.0.0.1:${port}/readyz`);
    expect(waiting).toMatchObject({ status: 503, body: { status: 'not_ready', checks: { startup: 'failed' } } });

    await postgres.open();
    await waitFor(
      'the API to be ready',
      async () => (await getStatus(`http://127.0.0.1:${port}/readyz`).catch(() => ({ status: 0 }))).status === 200,
      30_000,
    );
    const ready = await getStatus(`http://127.0.0.1:${port}/readyz`);
    expect(ready.body.checks).toEqual({ postgres: 'ok', redis: 'ok', migrations: 'ok' });
    await stopWorker(api);
    expect(await api.exited).toBe(0);
  });
});
