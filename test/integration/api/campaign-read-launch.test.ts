/**
 * Reading a campaign back (counts per status), walking its ledger page by page, and launching
 * drafts and scheduled campaigns.
 */
import { launchJobId } from '../../../src/queue/names.js';
import { createApiHarness, insertChannel, type ApiHarness } from './api-harness.js';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

let h: ApiHarness;
let channelId: string;

beforeAll(async () => {
  h = await createApiHarness('api_read', { now: () => NOW });
  channelId = await insertChannel(h.db, 'sms');
});
afterAll(async () => {
  await h.close();
});

async function createCampaign(count: number, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    payload: {
      name: 'c',
      channel_id: channelId,
      recipient_type: 'input',
      number_list: Array.from({ length: count }, (_, i) => ({ number: `+8613800${String(100000 + i)}` })),
      content_type: 'text',
      content: 'hi',
      send_type: 'draft',
      ...extra,
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

test('GET /v1/campaigns/:id shows the campaign with a count for every recipient status', async () => {
  const id = await createCampaign(5);
  const rows = await h.db.prisma.recipient.findMany({ where: { campaignId: id }, orderBy: { id: 'asc' } });
  await h.db.prisma.recipient.updateMany({ where: { id: { in: [rows[0]!.id, rows[1]!.id] } }, data: { status: 'sent' } });
  await h.db.prisma.recipient.update({ where: { id: rows[2]!.id }, data: { status: 'failed' } });

  const res = await h.request({ method: 'GET', url: `/v1/campaigns/${id}` });
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(body).toMatchObject({
    id,
    name: 'c',
    channel_id: channelId,
    status: 'draft',
    send_type: 'draft',
    content_type: 'text',
    content: 'hi',
    recipient_count: 5,
    launched_at: null,
    started_at: null,
    finished_at: null,
  });
  expect(body.counts).toEqual({
    pending: 2, sending: 0, retrying: 0, sent: 2, delivered: 0, read: 0, failed: 1, skipped: 0, cancelled: 0, expired: 0,
  });
  expect(typeof body.created_at).toBe('string');
});

test('the recipients pages walk every ledger row exactly once, in id order, with a status filter', async () => {
  const id = await createCampaign(23);
  const all = await h.db.prisma.recipient.findMany({ where: { campaignId: id }, orderBy: { id: 'asc' } });
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/v1/campaigns/${id}/recipients?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await h.request({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: { id: string; number: string; status: string }[]; next_cursor: string | null };
    seen.push(...page.items.map((r) => r.id));
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor !== null);
  expect(pages).toBe(3);
  expect(seen).toEqual(all.map((r) => r.id.toString()));

  await h.db.prisma.recipient.updateMany({ where: { id: { in: [all[3]!.id, all[7]!.id] } }, data: { status: 'delivered' } });
  const delivered = await h.request({ method: 'GET', url: `/v1/campaigns/${id}/recipients?status=delivered` });
  expect(delivered.json().items.map((r: { id: string }) => r.id)).toEqual([all[3]!.id.toString(), all[7]!.id.toString()]);
  expect(delivered.json().next_cursor).toBeNull();
});

test('recipients query limits are checked', async () => {
  const id = await createCampaign(1);
  for (const [query, field] of [['limit=0', 'limit'], ['limit=1001', 'limit'], ['status=nope', 'status'], ['cursor=abc', 'cursor']] as const) {
    const res = await h.request({ method: 'GET', url: `/v1/campaigns/${id}/recipients?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
  }
});

test('a draft has no launch job until it is launched; then one, and a second launch conflicts', async () => {
  const id = await createCampaign(2);
  expect(await h.queues.launch.getJob(launchJobId(id))).toBeUndefined();

  const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/launch` });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ id, status: 'running', launched_at: NOW.toISOString() });
  const campaign = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } });
  expect(campaign.status).toBe('running');
  expect(campaign.launchedAt?.toISOString()).toBe(NOW.toISOString());
  const job = await h.queues.launch.getJob(launchJobId(id));
  expect(await job?.getState()).toBe('waiting');

  const again = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/launch` });
  expect(again.statusCode).toBe(409);
  expect(again.json().error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { status: 'running' } });
  expect(again.json().error.message).toContain('running');
});

test('launching a scheduled campaign early replaces its delayed job with launch number 1', async () => {
  const id = await createCampaign(2, { send_type: 'schedule', send_time: NOW_S + 86_400 });
  expect(await (await h.queues.launch.getJob(launchJobId(id, 0)))?.getState()).toBe('delayed');

  const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/launch` });
  expect(res.statusCode).toBe(200);
  expect(await h.queues.launch.getJob(launchJobId(id, 0))).toBeUndefined();
  const early = await h.queues.launch.getJob(launchJobId(id, 1));
  expect(early?.data).toEqual({ campaignId: id });
  expect(await early?.getState()).toBe('waiting');
  expect((await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } })).status).toBe('running');
});

test('unknown or malformed campaign ids are 404 CAMPAIGN_NOT_FOUND on every campaign route', async () => {
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    for (const [method, url] of [['GET', `/v1/campaigns/${id}`], ['GET', `/v1/campaigns/${id}/recipients`], ['POST', `/v1/campaigns/${id}/launch`]] as const) {
      const res = await h.request({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('CAMPAIGN_NOT_FOUND');
    }
  }
});
