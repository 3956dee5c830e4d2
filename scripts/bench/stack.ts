/**
 * One run's services, as an operator runs them: the simulator (own process), the API
 * (`dist/src/api/main.js`) and N worker processes (`dist/workers/main.js`), all on a fresh queue
 * prefix. With --profile the workers run under `node --cpu-prof` and with the statement counter.
 */
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createRedis } from '../../src/queue/connection.js';
import { LAUNCH_QUEUE, SEND_QUEUE } from '../../src/queue/names.js';
import { deleteQueueKeys } from '../demo/queue-keys.js';
import { freePort } from '../demo/free-port.js';
import type { BenchEnv } from './bench-env.js';
import { API_SCRIPT, QUERY_COUNTER, WORKER_SCRIPT } from './paths.js';
import { assertAlive, sleep, startChild, type Child } from './processes.js';
import { startSim, type SimControl } from './sim/sim-control.js';

export interface Stack {
  prefix: string;
  sim: SimControl;
  api: Child;
  apiUrl: string;
  workers: Child[];
  /** Each worker's /metrics address (its health server). */
  workerMetricsUrls: string[];
  /** Pids of our own processes (API + workers). */
  ourPids(): number[];
  /** Throws when a service has died. */
  check(): void;
  /** POST/GET to the API with the bench's key. */
  request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export interface StackOptions {
  workers: number;
  latencyMs?: number;
  /** A simulator already running (the caller needs its URL before the stack exists). */
  sim?: SimControl;
  /** Worker env overrides (WORKER_CONCURRENCY…). */
  workerEnv?: NodeJS.ProcessEnv;
  label: string;
}

export async function startStack(env: BenchEnv, options: StackOptions): Promise<Stack> {
  const prefix = env.newPrefix();
  const sim = options.sim ?? (await startSim({ logDir: env.logDir, latencyMs: options.latencyMs }));
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'info',
  };
  const port = await freePort();
  const api = startChild({ name: `${options.label}-api`, script: API_SCRIPT, env: { ...base, PORT: String(port), HOST: '127.0.0.1' }, logDir: env.logDir });
  const workers: Child[] = [];
  const workerMetricsUrls: string[] = [];
  for (let i = 0; i < options.workers; i++) {
    const name = `${options.label}-worker${i + 1}`;
    const execArgv = env.options.profile
      ? ['--cpu-prof', '--cpu-prof-dir', env.profileDir, '--cpu-prof-name', `${name}.cpuprofile`, '--import', QUERY_COUNTER]
      : [];
    const healthPort = await freePort();
    workerMetricsUrls.push(`http://127.0.0.1:${healthPort}/metrics`);
    workers.push(
      startChild({
        name,
        script: WORKER_SCRIPT,
        env: { ...base, ...options.workerEnv, WORKER_HEALTH_PORT: String(healthPort), BENCH_COUNTS_FILE: join(env.profileDir, `${name}.counts.json`) },
        logDir: env.logDir,
        execArgv,
      }),
    );
  }
  const apiUrl = `http://127.0.0.1:${port}`;
  const all = [api, ...workers, sim.child];
  const stack: Stack = {
    prefix,
    sim,
    api,
    apiUrl,
    workers,
    workerMetricsUrls,
    ourPids: () => [api.pid, ...workers.map((w) => w.pid)],
    check: () => assertAlive(all),
    async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const res = await fetch(apiUrl + path, {
        method,
        headers: { authorization: `Bearer ${env.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async stop() {
      await Promise.all([api.stop(), ...workers.map((w) => w.stop())]);
      if (!options.sim) await sim.stop();
      await deleteQueueKeys(env.redisUrl, prefix);
    },
  };
  try {
    await waitReady(stack, options.workers, env.redisUrl);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}

/** The API answers /healthz and every worker process is consuming the send queue. */
async function waitReady(stack: Stack, workers: number, redisUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    stack.check();
    try {
      if ((await fetch(`${stack.apiUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API did not become healthy; see ${stack.api.logPath}`);
    await sleep(100);
  }
  const connection = createRedis(redisUrl);
  const queues = [LAUNCH_QUEUE, SEND_QUEUE].map((name) => new Queue(name, { connection, prefix: stack.prefix }));
  try {
    for (;;) {
      stack.check();
      const counts = await Promise.all(queues.map(async (q) => (await q.getWorkers()).length));
      if (counts.every((n) => n >= workers)) return;
      if (Date.now() > deadline) throw new Error(`workers did not start consuming; see ${stack.workers[0]?.logPath}`);
      await sleep(100);
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  }
}
