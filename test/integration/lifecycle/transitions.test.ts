/**
 * The status machine through the API: every lifecycle route from every status (allowed → 200,
 * refused → 409 with the current status), concurrent requests (one winner), and what pause,
 * resume and cancel do to the ledger and the launch queue.
 */
import type { CampaignStatus } from '../../../src/campaigns/status-machine.js';
import { launchJobId } from '../../../src/queue/names.js';
import { createApiHarness, insertChannel, type ApiHarness } from '../api/api-harness.js';
import { campaignRow, insertCampaign, launchJobsOf, recipientStatuses } from './lifecycle-fixtures.js';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const LATER = new Date(NOW.getTime() + 86_400_000);
const STATUSES: CampaignStatus[] = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'expired', 'failed'];

let h: ApiHarness;
let channelId: string;

beforeAll(async () => {
  h = await createApiHarness('lc_transitions', { now: () => NOW });
  channelId = await insertChannel(h.db, 'sms');
});
afterAll(async () => {
  await h.close();
});

function setup(status: CampaignStatus) {
  return insertCampaign(h.db.pool, channelId, { status, sendTime: status === 'draft' ? null : LATER, recipients: ['pending'] });
}

const ROUTES: { name: string; method: 'POST' | 'PATCH'; path: string; payload?: object; allowed: CampaignStatus[]; to?: string }[] = [
  { name: 'launch', method: 'POST', path: 'launch', allowed: ['draft', 'scheduled'], to: 'running' },
  { name: 'pause', method: 'POST', path: 'pause', allowed: ['running'], to: 'paused' },
  { name: 'resume', method: 'POST', path: 'resume', allowed: ['paused'], to: 'running' },
  { name: 'cancel', method: 'POST', path: 'cancel', allowed: ['draft', 'scheduled', 'running', 'paused'], to: 'cancelled' },
  { name: 'PATCH', method: 'PATCH', path: '', payload: { name: 'renamed' }, allowed: ['draft', 'scheduled'] },
];

describe.each(ROUTES)('$name from every status', ({ method, path, payload, allowed, to }) => {
  test.each(STATUSES)('from %s', async (status) => {
    const id = await setup(status);
    const res = await h.request({ method, url: `/v1/campaigns/${id}${path ? `/${path}` : ''}`, payload });
    if (allowed.includes(status)) {
      expect(res.statusCode).toBe(200);
      expect((await campaignRow(h.db.pool, id)).status).toBe(to ?? status);
    } else {
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { status } });
      expect((await campaignRow(h.db.pool, id)).status).toBe(status);
    }
  });
});

test('an unknown campaign is 404 on every lifecycle route', async () => {
  for (const path of ['pause', 'resume', 'cancel', 'resend-failed']) {
    const res = await h.request({ method: 'POST', url: `/v1/campaigns/00000000-0000-4000-8000-000000000000/${path}` });
    expect(res.json().error.code).toBe('CAMPAIGN_NOT_FOUND');
  }
  const patch = await h.request({ method: 'PATCH', url: '/v1/campaigns/nope', payload: { name: 'x' } });
  expect(patch.statusCode).toBe(404);
});

test('concurrent pauses: exactly one wins, the others get 409 with the state they lost to', async () => {
  const id = await setup('running');
  const answers = await Promise.all(Array.from({ length: 8 }, () => h.request({ method: 'POST', url: `/v1/campaigns/${id}/pause` })));
  expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1);
  for (const r of answers.filter((r) => r.statusCode !== 200)) {
    expect(r.statusCode).toBe(409);
    expect(r.json().error.details.status).toBe('paused');
  }
});

test('concurrent pause and cancel: one order or the other, never both refused, always cancelled at the end', async () => {
  for (let i = 0; i < 6; i++) {
    const id = await setup('running');
    const [pause, cancel] = await Promise.all([
      h.request({ method: 'POST', url: `/v1/campaigns/${id}/pause` }),
      h.request({ method: 'POST', url: `/v1/campaigns/${id}/cancel` }),
    ]);
    // Cancel is allowed from running and from paused, so it always wins; pause wins only if it
    // committed first (then cancel cancelled a paused campaign), otherwise it lost to `cancelled`.
    expect(cancel.statusCode).toBe(200);
    if (pause.statusCode !== 200) {
      expect(pause.statusCode).toBe(409);
      expect(pause.json().error.details.status).toBe('cancelled');
    }
    expect((await campaignRow(h.db.pool, id)).status).toBe('cancelled');
  }
});

test('concurrent cancels and launches: exactly one of each wins', async () => {
  const a = await setup('paused');
  const cancels = await Promise.all(Array.from({ length: 5 }, () => h.request({ method: 'POST', url: `/v1/campaigns/${a}/cancel` })));
  expect(cancels.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
  const b = await setup('draft');
  const launches = await Promise.all(Array.from({ length: 5 }, () => h.request({ method: 'POST', url: `/v1/campaigns/${b}/launch` })));
  expect(launches.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
  for (const r of launches.filter((x) => x.statusCode === 409)) expect(r.json().error.details.status).toBe('running');
});

test('pause answers the state and counts and stamps paused_at; nothing is enqueued', async () => {
  const id = await insertCampaign(h.db.pool, channelId, { status: 'running', recipients: ['sent', 'sending', 'pending', 'pending'] });
  const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/pause` });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({
    id,
    status: 'paused',
    paused_at: NOW.toISOString(),
    cancelled_at: null,
    counts: { sent: 1, sending: 1, pending: 2, cancelled: 0 },
  });
  expect(await launchJobsOf(h, id)).toHaveLength(0);
});

test('resume resets the fan-out cursor and enqueues one new launch job per resume', async () => {
  const id = await insertCampaign(h.db.pool, channelId, {
    status: 'running',
    recipients: ['sent', 'pending', 'retrying'],
    enqueueCursor: 500,
    fanOutCompleted: true,
  });
  const launchNumbers = new Set<string>();
  for (let round = 0; round < 2; round++) {
    expect((await h.request({ method: 'POST', url: `/v1/campaigns/${id}/pause` })).statusCode).toBe(200);
    const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/resume` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'running', paused_at: null, counts: { sent: 1, pending: 1, retrying: 1 } });
    const row = await campaignRow(h.db.pool, id);
    expect(row).toMatchObject({ status: 'running', paused_at: null, enqueue_cursor: '0', fan_out_completed_at: null });
    for (const job of await launchJobsOf(h, id)) launchNumbers.add(job.id!);
    expect(launchNumbers.size).toBe(round + 1);
  }
  for (const jobId of launchNumbers) {
    expect(jobId).toMatch(new RegExp(`^launch-${id}-\\d+$`));
    expect(jobId).not.toBe(launchJobId(id, 0));
    expect(await (await h.queues.launch.getJob(jobId))?.getState()).toBe('waiting');
  }
});

test('cancel marks pending and retrying recipients cancelled, leaves sending/sent/failed alone', async () => {
  const id = await insertCampaign(h.db.pool, channelId, {
    status: 'running',
    recipients: ['pending', 'retrying', 'sending', 'sent', 'delivered', 'failed', 'pending'],
  });
  const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/cancel` });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({
    status: 'cancelled',
    cancelled_at: NOW.toISOString(),
    recipients_cancelled: 3,
    counts: { cancelled: 3, sending: 1, sent: 1, delivered: 1, failed: 1, pending: 0, retrying: 0 },
  });
  const rows = await recipientStatuses(h.db.pool, id);
  expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'sending', 'sent', 'delivered', 'failed', 'cancelled']);
  expect(rows.filter((r) => r.status === 'cancelled').every((r) => r.reason === 'campaign_cancelled')).toBe(true);
  expect((await campaignRow(h.db.pool, id)).finished_at?.toISOString()).toBe(NOW.toISOString());
});

test('cancelling a scheduled campaign removes its delayed launch job', async () => {
  const created = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    payload: {
      name: 's',
      channel_id: channelId,
      recipient_type: 'input',
      number_list: [{ number: '+14155550100' }, { number: '+14155550101' }],
      content_type: 'text',
      content: 'hi',
      send_type: 'schedule',
      send_time: NOW_S + 3600,
    },
  });
  const id = created.json().id as string;
  expect(await (await h.queues.launch.getJob(launchJobId(id, 0)))?.getState()).toBe('delayed');
  const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/cancel` });
  expect(res.json()).toMatchObject({ status: 'cancelled', recipients_cancelled: 2 });
  expect(await launchJobsOf(h, id)).toHaveLength(0);
  expect(await h.queues.launch.getJob(launchJobId(id, 0))).toBeUndefined();
});
