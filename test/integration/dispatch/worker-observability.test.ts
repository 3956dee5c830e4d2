/**
 * The worker's own health server, as workers/main.ts starts it: a small campaign runs through an
 * in-process runtime, then /metrics shows the send-path families with the sends counted, and
 * /readyz answers 200 (Postgres, Redis, migrations).
 */
import { jest } from '@jest/globals';
import { MIGRATIONS_DIR } from '../../../src/db/paths.js';
import { startHealthServer, type HealthServer } from '../../../src/health/health-server.js';
import { standardChecks } from '../../../src/health/readiness.js';
import { enqueueLaunch } from '../../../src/queue/queues.js';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { insertCampaign, insertChannel, insertRecipients, silentLog, startRuntime, waitForCampaignCompleted } from './fixtures.js';

jest.setTimeout(60_000);
const COUNT = 20;

describe('worker metrics and readiness', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let sim: ConnectlySimulator;
  let runtime: WorkerRuntime;
  let health: HealthServer;

  beforeAll(async () => {
    db = await createTestDatabase('worker_obs');
    redis = await createTestRedis('worker-obs');
    sim = await startConnectlySimulator();
    runtime = await startRuntime(db, redis, 10);
    health = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      registry: runtime.registry,
      checks: standardChecks({ pool: runtime.pool, redis: runtime.redis, migrationsDir: MIGRATIONS_DIR }),
      log: silentLog,
    });
  });

  afterAll(async () => {
    await health?.close();
    await runtime?.close();
    await sim?.close();
    await redis?.close();
    await db?.close();
  });

  it('serves the send-path families with the campaign counted, and is ready', async () => {
    const channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'sms',
      senderId: '+15550195001',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: sim.apiKey },
      ratePerSecond: 10,
    });
    const campaignId = await insertCampaign(db.pool, { channelId, status: 'running', content: 'Hi {{name}}' });
    await insertRecipients(db.pool, campaignId, COUNT);
    sim.faults.failNext(1, { status: 503 }); // one retry, so the retry family has a sample
    await enqueueLaunch(runtime.queues, campaignId);
    await waitForCampaignCompleted(db.pool, campaignId);
    expect(sim.acceptedSends()).toHaveLength(COUNT);

    const base = `http://127.0.0.1:${health.port}`;
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    const sample = (name: string, labels: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((p) => l.includes(p)));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    expect(sample('campaign_dispatch_sends_total', 'provider="connectly",channel_kind="sms",outcome="sent",content_kind="session"')).toBe(COUNT);
    expect(sample('campaign_dispatch_sends_total', 'outcome="retrying"')).toBe(1);
    expect(sample('campaign_dispatch_send_retries_total', 'provider="connectly",error_class="retryable"')).toBe(1);
    expect(sample('campaign_dispatch_provider_request_duration_seconds_count', 'provider="connectly",outcome="success"')).toBe(COUNT);
    // 10/s with 10 concurrent sends: the channel limit held some back.
    expect(sample('campaign_dispatch_rate_limit_waits_total', 'limiter="channel"')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE campaign_dispatch_webhook_receipts_total counter');
    expect(text).toContain('service="worker"');

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } });
  });
});
