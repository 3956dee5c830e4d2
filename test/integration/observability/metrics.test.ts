/**
 * GET /metrics: the send-path families fed through createDispatchMetrics, the queue gauges read
 * from Redis at scrape time, HTTP and process metrics, and the optional METRICS_TOKEN.
 */
import { buildApp } from '../../../src/api/build-app.js';
import { loadConfig } from '../../../src/config/config.js';
import { createDispatchMetrics } from '../../../src/observability/dispatch-metrics.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { createObservabilityHarness, parseMetrics, sampleValue, type ObservabilityHarness, type Sample } from './observability-harness.js';

// A clock of our own, so the oldest job's age is exact; close to real time because BullMQ
// schedules delayed jobs by the real clock.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

let h: ObservabilityHarness;

beforeAll(async () => {
  h = await createObservabilityHarness('obs_metrics', { now: () => NOW });
});
afterAll(async () => {
  await h.close();
});

async function scrape(): Promise<Sample[]> {
  const res = await h.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(res.body);
}

test('the send-path families carry what the worker recorded', async () => {
  const m = createDispatchMetrics(h.registry);
  m.sendFinished({ provider: 'connectly', channelKind: 'whatsapp', outcome: 'sent', contentKind: 'session' });
  m.sendFinished({ provider: 'connectly', channelKind: 'whatsapp', outcome: 'sent', contentKind: 'session' });
  m.sendFinished({ provider: 'yeastar', channelKind: 'sms', outcome: 'skipped', contentKind: 'none' });
  await expect(m.timeProviderCall('connectly', async () => 'msg-1')).resolves.toBe('msg-1');
  const limited = Object.assign(new Error('slow down'), { errorClass: 'rate_limited' });
  await expect(m.timeProviderCall('connectly', () => Promise.reject(limited))).rejects.toBe(limited);
  await expect(m.timeProviderCall('yeastar', () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
  m.providerCall('yeastar', 'success', 1_500);
  m.retryScheduled('connectly', 'rate_limited');
  m.rateLimitWaited('pair', 6_000);
  m.rateLimitWaited('pair', 40);
  m.webhookReceived('connectly', 'delivered');

  const s = await scrape();
  const api = { service: 'api' };
  expect(sampleValue(s, 'campaign_dispatch_sends_total', { ...api, provider: 'connectly', channel_kind: 'whatsapp', outcome: 'sent', content_kind: 'session' })).toBe(2);
  expect(sampleValue(s, 'campaign_dispatch_sends_total', { provider: 'yeastar', channel_kind: 'sms', outcome: 'skipped', content_kind: 'none' })).toBe(1);
  const duration = 'campaign_dispatch_provider_request_duration_seconds_count';
  expect(sampleValue(s, duration, { provider: 'connectly', outcome: 'success' })).toBe(1);
  expect(sampleValue(s, duration, { provider: 'connectly', outcome: 'rate_limited' })).toBe(1);
  expect(sampleValue(s, duration, { provider: 'yeastar', outcome: 'error' })).toBe(1);
  // 1.5 s lands in the 2.5 s bucket, not the 1 s one.
  const bucket = 'campaign_dispatch_provider_request_duration_seconds_bucket';
  expect(sampleValue(s, bucket, { provider: 'yeastar', outcome: 'success', le: '1' })).toBe(0);
  expect(sampleValue(s, bucket, { provider: 'yeastar', outcome: 'success', le: '2.5' })).toBe(1);
  expect(sampleValue(s, 'campaign_dispatch_send_retries_total', { provider: 'connectly', error_class: 'rate_limited' })).toBe(1);
  expect(sampleValue(s, 'campaign_dispatch_rate_limit_waits_total', { limiter: 'pair' })).toBe(2);
  expect(sampleValue(s, 'campaign_dispatch_rate_limit_wait_seconds_sum', { limiter: 'pair' })).toBeCloseTo(6.04);
  expect(sampleValue(s, 'campaign_dispatch_webhook_receipts_total', { provider: 'connectly', status: 'delivered' })).toBe(1);
});

test('queue gauges count jobs per state and age the oldest waiting job, at scrape time', async () => {
  const before = await scrape();
  expect(sampleValue(before, 'campaign_dispatch_queue_jobs', { queue: 'send', state: 'waiting' })).toBe(0);
  expect(sampleValue(before, 'campaign_dispatch_queue_oldest_waiting_age_seconds', { queue: 'send' })).toBe(0);

  const at = (secondsAgo: number) => NOW.getTime() - secondsAgo * 1000;
  await h.queues.send.add('send', { campaignId: 'c', recipientId: '1' }, { jobId: 'r-1', timestamp: at(90) });
  await h.queues.send.add('send', { campaignId: 'c', recipientId: '2' }, { jobId: 'r-2', timestamp: at(30) });
  await h.queues.send.add('send', { campaignId: 'c', recipientId: '3' }, { jobId: 'r-3', timestamp: at(5) });
  await h.queues.launch.add('launch', { campaignId: 'a' }, { jobId: 'launch-a-0', delay: 3_600_000 });
  await h.queues.launch.add('launch', { campaignId: 'b' }, { jobId: 'launch-b-0', delay: 3_600_000 });

  const s = await scrape();
  const jobs = 'campaign_dispatch_queue_jobs';
  expect(sampleValue(s, jobs, { queue: 'send', state: 'waiting' })).toBe(3);
  expect(sampleValue(s, jobs, { queue: 'send', state: 'active' })).toBe(0);
  expect(sampleValue(s, jobs, { queue: 'campaign-launch', state: 'delayed' })).toBe(2);
  expect(sampleValue(s, jobs, { queue: 'campaign-launch', state: 'waiting' })).toBe(0);
  expect(sampleValue(s, 'campaign_dispatch_queue_oldest_waiting_age_seconds', { queue: 'send' })).toBe(90);
  expect(sampleValue(s, 'campaign_dispatch_queue_oldest_waiting_age_seconds', { queue: 'campaign-launch' })).toBe(0);
  expect(sampleValue(s, 'campaign_dispatch_queue_scrape_errors_total', { queue: 'send' })).toBeUndefined();
});

test('HTTP and process metrics are there too', async () => {
  await h.app.inject({ method: 'GET', url: '/healthz' });
  const s = await scrape();
  expect(sampleValue(s, 'campaign_dispatch_http_request_duration_seconds_count', { method: 'GET', route: '/healthz', status_code: '200' })).toBeGreaterThanOrEqual(1);
  expect(sampleValue(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  expect(s.some((x) => x.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
});

test('with METRICS_TOKEN set, a scrape needs it as a bearer token (and an API key is not it)', async () => {
  const app = await buildApp({
    prisma: h.db.prisma,
    pool: h.db.pool,
    queues: h.queues,
    config: { ...loadConfig({}), metricsToken: 'scrape-secret' },
    log: testLogger(),
    redis: h.redis.redis,
  });
  try {
    for (const authorization of [undefined, `Bearer ${h.keys.admin}`, 'Bearer scrape-secreT']) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
    const ok = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('campaign_dispatch_queue_jobs');
  } finally {
    await app.close();
  }
});
