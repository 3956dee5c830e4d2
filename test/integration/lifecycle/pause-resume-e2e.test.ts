/**
 * Pause and resume end to end: the API, an in-process worker runtime and the Yeastar simulator on
 * one schema and queue prefix. A pause mid-campaign stops new sends (the simulator's accepted count
 * stops growing once the in-flight sends are done); the resume finishes the campaign with every
 * recipient sent exactly once — none skipped, none twice.
 */
import { jest } from '@jest/globals';
import type { WorkerRuntime } from '../../../workers/runtime.js';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
import { createApiHarness, type ApiHarness } from '../api/api-harness.js';
import { campaignStatus, insertChannel, startRuntime, testNumber, waitFor, waitForCampaignCompleted } from '../dispatch/fixtures.js';

const COUNT = 2_000;
/** 20 concurrent sends × 100 ms answers ≈ 200 sends/s: the pause lands well inside the campaign. */
const CONCURRENCY = 20;
const LATENCY_MS = 100;
jest.setTimeout(180_000);

let h: ApiHarness;
let sim: YeastarSimulator;
let runtime: WorkerRuntime;
let channelId: string;

beforeAll(async () => {
  h = await createApiHarness('lc_e2e');
  sim = await startYeastarSimulator();
  channelId = await insertChannel(h.db.pool, {
    provider: 'yeastar',
    kind: 'sms',
    senderId: '+15550193510',
    settings: { baseUrl: sim.url, channelType: 'twilio' },
    credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
  });
  // Above what concurrency × latency allows, so the channel's rate limit is not what paces the test.
  await h.db.pool.query('UPDATE channels SET rate_per_second = 500 WHERE id = $1', [channelId]);
  runtime = await startRuntime(h.db, h.redis, CONCURRENCY);
});

afterAll(async () => {
  await runtime?.close();
  await sim?.close();
  await h?.close();
});

async function countWhere(campaignId: string, status: string): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND status = $2',
    [campaignId, status],
  );
  return rows[0]!.n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(`pause stops sending mid-campaign; resume sends each of ${COUNT} recipients exactly once`, async () => {
  sim.faults.setLatency(LATENCY_MS);
  const created = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    payload: {
      name: 'pause-resume',
      channel_id: channelId,
      recipient_type: 'input',
      number_list: Array.from({ length: COUNT }, (_, i) => ({ number: testNumber(i), variables: { name: `N${i}` } })),
      content_type: 'text',
      content: 'Hello {{name}}',
      send_type: 'immediately',
    },
  });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;

  await waitFor('a few hundred sends', async () => sim.acceptedSends().length >= 300);
  const paused = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/pause` });
  expect(paused.statusCode).toBe(200);
  expect(paused.json().status).toBe('paused');

  // Settle: sends that were mid-call when the pause committed finish; after that nothing moves.
  await waitFor('in-flight sends to finish', async () => (await countWhere(id, 'sending')) === 0);
  await sleep(LATENCY_MS * 3);
  const acceptedAtPause = sim.acceptedSends().length;
  await sleep(1_500);
  expect(sim.acceptedSends().length).toBe(acceptedAtPause);
  expect(acceptedAtPause).toBeLessThan(COUNT);
  expect(await countWhere(id, 'sent')).toBe(acceptedAtPause);
  expect(await countWhere(id, 'pending')).toBe(COUNT - acceptedAtPause);
  expect(await campaignStatus(h.db.pool, id)).toBe('paused');

  const resumed = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/resume` });
  expect(resumed.statusCode).toBe(200);
  await waitForCampaignCompleted(h.db.pool, id, 150_000);

  expect(await countWhere(id, 'sent')).toBe(COUNT);
  const accepted = sim.acceptedSends();
  expect(accepted).toHaveLength(COUNT);
  const numbers = new Set(accepted.map((s) => s.to));
  expect(numbers.size).toBe(COUNT);
  for (let i = 0; i < COUNT; i++) expect(numbers.has(testNumber(i))).toBe(true);
  expect(sim.duplicateSends()).toBe(0);
});
