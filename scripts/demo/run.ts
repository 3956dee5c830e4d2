/**
 * The demo, step by step: migrate, start the simulators, the API and a worker, create a key, two
 * channels and two campaigns over HTTP, follow them to completion, and check what the simulators
 * received against the ledger. Everything started is registered with `cleanup`.
 * Returns whether every recipient got exactly one message.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createApiKey } from '../../src/auth/api-keys.js';
import type { Config } from '../../src/config/config.js';
import { REPO_ROOT } from '../../src/db/paths.js';
import { createPrisma } from '../../src/db/prisma.js';
import { startConnectlySimulator, startYeastarSimulator } from '../../test/simulators/index.js';
import { cancelUnfinished } from './abandon.js';
import { createApiClient } from './api-client.js';
import { createDemoCampaign, type DemoCampaign } from './campaigns.js';
import { createDemoChannels } from './channels.js';
import { startService, type ServiceProcess } from './children.js';
import type { Cleanup } from './cleanup.js';
import { freePort } from './free-port.js';
import { demoNumbers } from './numbers.js';
import type { DemoOptions } from './options.js';
import { preflight } from './preflight.js';
import { followCampaigns } from './progress.js';
import { deleteQueueKeys } from './queue-keys.js';
import { formatSummary } from './report.js';
import { campaignResult } from './results.js';
import { waitHealthy } from './wait-healthy.js';
import { waitWorkerReady } from './wait-worker.js';

/** High enough that the channel's allowance is not what the demo measures (the API's maximum). */
const CHANNEL_RATE_PER_SECOND = 10_000;

export interface DemoDeps {
  config: Config;
  options: DemoOptions;
  cleanup: Cleanup;
  say(message: string): void;
}

function deadService(services: ServiceProcess[]): string | undefined {
  const dead = services.find((s) => s.exitStatus() !== undefined);
  return dead && `${dead.name} exited (${dead.exitStatus()}). Last lines of ${dead.logPath}:\n${dead.logTail()}`;
}

export async function runDemo({ config, options, cleanup, say }: DemoDeps): Promise<boolean> {
  const migrated = await preflight(config);
  say(`Postgres ready (${migrated.applied.length} migration(s) applied, ${migrated.alreadyApplied} already there); Redis ready`);

  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  // A fresh queue prefix: jobs left in Redis by an earlier, interrupted run cannot interfere.
  const prefix = `demo-${startedAt.getTime()}`;
  const logDir = join(REPO_ROOT, 'demo-logs', stamp);
  mkdirSync(logDir, { recursive: true });

  const yeastar = await startYeastarSimulator({ port: 0 });
  cleanup.add('Yeastar simulator', () => yeastar.close());
  const connectly = await startConnectlySimulator({ port: 0 });
  cleanup.add('Connectly simulator', () => connectly.close());
  say(`Simulators: Yeastar ${yeastar.url}, Connectly ${connectly.url}`);

  // Registered before the processes, so it runs after they have stopped (cleanup runs in reverse).
  cleanup.add('queue keys', async () => {
    await deleteQueueKeys(config.redisUrl, prefix);
  });
  // Also before the processes: filled in as campaigns are created, cancelled if still unfinished.
  const campaignIds: string[] = [];
  cleanup.add('unfinished demo campaigns', async () => {
    const cancelled = await cancelUnfinished({ ...config, queuePrefix: prefix }, campaignIds);
    if (cancelled) say(`Cancelled ${cancelled} unfinished demo campaign(s).`);
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: config.logLevel,
  };
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const api = startService({ name: 'api', script: join(REPO_ROOT, 'dist/src/api/main.js'), env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, logDir, cwd: REPO_ROOT });
  cleanup.add('api', () => api.stop());
  // Its own health/metrics port, so it cannot collide with a worker already running here.
  const workerEnv = { ...env, WORKER_HEALTH_PORT: String(await freePort()) };
  const worker = startService({ name: 'worker', script: join(REPO_ROOT, 'dist/workers/main.js'), env: workerEnv, logDir, cwd: REPO_ROOT });
  cleanup.add('worker', () => worker.stop());
  say(`API and worker starting (queue prefix ${prefix}); logs in ${relative(process.cwd(), logDir) || '.'}/`);
  await waitHealthy(apiUrl, api);
  await waitWorkerReady(config.redisUrl, prefix, worker);
  say(`API listening on ${apiUrl}; worker consuming`);

  const prisma = createPrisma(config.databaseUrl, 1);
  let key: string;
  try {
    key = (await createApiKey(prisma, `demo ${stamp}`)).key;
  } finally {
    await prisma.$disconnect();
  }
  const client = createApiClient(apiUrl, key);
  const channels = await createDemoChannels(client, { yeastar: yeastar.url, connectly: connectly.url }, CHANNEL_RATE_PER_SECOND);

  const numbers = demoNumbers(options.recipients);
  const campaigns: DemoCampaign[] = [];
  for (const channel of channels) {
    const campaign = await createDemoCampaign(client, channel, numbers, stamp);
    campaigns.push(campaign);
    campaignIds.push(campaign.id);
  }
  say(`Sending ${numbers.length.toLocaleString('en-US')} messages per campaign (campaigns ${campaigns.map((c) => c.id).join(', ')})\n`);

  const views = await followCampaigns(client, campaigns, {
    intervalMs: 250,
    timeoutMs: options.timeoutMs,
    stallMs: options.stallMs,
    problem: () => deadService([api, worker]),
  });
  const observedEnd = Date.now();

  const results = campaigns.map((c) =>
    campaignResult(c, views.get(c.id)!, c.channel.provider === 'yeastar' ? yeastar : connectly, observedEnd),
  );
  say(`\n${formatSummary(results)}\n`);
  return results.every((r) => r.exactlyOnce);
}
