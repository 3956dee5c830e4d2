/**
 * "Resend to failed": a new campaign holding exactly the source's failed recipients, with their
 * variables, the source's content and settings, and a link back to the source.
 */
import { launchJobId } from '../../../src/queue/names.js';
import { createApiHarness, insertChannel, rowCounts, type ApiHarness } from '../api/api-harness.js';
import { insertCampaign, lcNumber } from './lifecycle-fixtures.js';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

let h: ApiHarness;
let channelId: string;

beforeAll(async () => {
  h = await createApiHarness('lc_resend', { now: () => NOW });
  channelId = await insertChannel(h.db, 'facebook');
});
afterAll(async () => {
  await h.close();
});

function resend(id: string, payload?: object) {
  return h.request({ method: 'POST', url: `/v1/campaigns/${id}/resend-failed`, payload });
}

test('copies exactly the failed recipients with their variables, and the content and settings', async () => {
  const source = await insertCampaign(h.db.pool, channelId, {
    status: 'completed',
    recipients: ['sent', 'failed', 'delivered', 'failed', 'expired', 'read', 'failed', 'cancelled'],
  });
  await h.db.pool.query(
    `UPDATE campaigns SET max_attempts = 3, max_retry_seconds = 120, message_tag = 'ACCOUNT_UPDATE', expires_at = $2,
                          msg_param = '{"name":"t","language":{"code":"en"}}' WHERE id = $1`,
    [source, new Date(NOW.getTime() - 1000)],
  );

  const res = await resend(source);
  expect(res.statusCode).toBe(201);
  const body = res.json();
  expect(body).toEqual({ id: expect.any(String), status: 'running', recipient_count: 3, source_campaign_id: source });

  const copy = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id: body.id } });
  expect(copy).toMatchObject({
    channelId,
    status: 'running',
    sendType: 'immediately',
    recipientType: 'input',
    contentType: 'text',
    content: 'hi {{name}}',
    msgParam: { name: 't', language: { code: 'en' } },
    maxAttempts: 3,
    maxRetrySeconds: 120,
    messageTag: 'ACCOUNT_UPDATE',
    expiresAt: null,
    sourceCampaignId: source,
    recipientCount: 3,
    name: 'lifecycle (resend to failed)',
  });
  const rows = await h.db.prisma.recipient.findMany({ where: { campaignId: body.id }, orderBy: { id: 'asc' } });
  expect(rows.map((r) => [r.number, r.variables, r.status])).toEqual([
    [lcNumber(1), { name: 'N2' }, 'pending'],
    [lcNumber(3), { name: 'N4' }, 'pending'],
    [lcNumber(6), { name: 'N7' }, 'pending'],
  ]);
  expect(await (await h.queues.launch.getJob(launchJobId(body.id, 0)))?.getState()).toBe('waiting');
});

test('the body may schedule it, name it and give it a validity', async () => {
  const source = await insertCampaign(h.db.pool, channelId, { status: 'cancelled', recipients: ['failed', 'cancelled'] });
  const res = await resend(source, { name: 'second try', send_type: 'schedule', send_time: NOW_S + 600, expires_at: NOW_S + 4000 });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ status: 'scheduled', recipient_count: 1 });
  const copy = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id: res.json().id } });
  expect(copy).toMatchObject({ name: 'second try', status: 'scheduled' });
  expect(copy.expiresAt?.getTime()).toBe((NOW_S + 4000) * 1000);
  expect((await h.queues.launch.getJob(launchJobId(copy.id, 0)))?.delay).toBe(600_000);
});

test('no failed recipient is 400 NO_RECIPIENTS and creates nothing', async () => {
  const source = await insertCampaign(h.db.pool, channelId, { status: 'expired', recipients: ['sent', 'expired'] });
  const before = await rowCounts(h.db);
  const res = await resend(source);
  expect(res.statusCode).toBe(400);
  expect(res.json().error.code).toBe('NO_RECIPIENTS');
  expect(await rowCounts(h.db)).toEqual(before);
});

test('only ended campaigns can be resent; bad bodies are refused with the field named', async () => {
  for (const status of ['draft', 'scheduled', 'running', 'paused'] as const) {
    const source = await insertCampaign(h.db.pool, channelId, { status, recipients: ['failed'] });
    const res = await resend(source);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { status } });
  }
  const source = await insertCampaign(h.db.pool, channelId, { status: 'failed', recipients: ['failed'] });
  expect((await resend(source, { send_type: 'schedule' })).json().error).toMatchObject({ code: 'SEND_TIME_INVALID', field: 'send_time' });
  expect((await resend(source, { expires_at: NOW_S - 5 })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'expires_at' });
  expect((await resend(source, { channel_id: channelId })).statusCode).toBe(400);
  expect((await resend(source, { send_type: 'draft' })).json()).toMatchObject({ status: 'draft', recipient_count: 1 });
});
