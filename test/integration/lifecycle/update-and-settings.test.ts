/**
 * PATCH of draft and scheduled campaigns (moving the delayed launch job), the create-time delivery
 * settings and their validation, and expiry found at launch or resume.
 */
import { launchJobId } from '../../../src/queue/names.js';
import { createApiHarness, insertChannel, rowCounts, type ApiHarness } from '../api/api-harness.js';
import { campaignRow, insertCampaign, launchJobsOf, recipientStatuses } from './lifecycle-fixtures.js';

const START = new Date('2030-06-01T12:00:00.000Z');
const NOW_S = Math.floor(START.getTime() / 1000);
let clock = START;

let h: ApiHarness;
let sms: string;
let facebook: string;

beforeAll(async () => {
  h = await createApiHarness('lc_update', { now: () => clock });
  sms = await insertChannel(h.db, 'sms');
  facebook = await insertChannel(h.db, 'facebook');
});
beforeEach(() => {
  clock = START;
});
afterAll(async () => {
  await h.close();
});

function createBody(extra: Record<string, unknown> = {}) {
  return {
    name: 'c',
    channel_id: sms,
    recipient_type: 'input',
    number_list: [{ number: '+14155550100', variables: { name: 'A' } }, { number: '+14155550101' }],
    content_type: 'text',
    content: 'hi',
    send_type: 'draft',
    ...extra,
  };
}

async function create(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: createBody(extra) });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

function patch(id: string, payload: object) {
  return h.request({ method: 'PATCH', url: `/v1/campaigns/${id}`, payload });
}

describe('create-time settings', () => {
  test('are stored and shown by PATCH answers; defaults apply when omitted', async () => {
    const id = await create({
      channel_id: facebook,
      expires_at: NOW_S + 7200,
      max_attempts: 3,
      max_retry_seconds: 600,
      message_tag: 'POST_PURCHASE_UPDATE',
    });
    const row = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ maxAttempts: 3, maxRetrySeconds: 600, messageTag: 'POST_PURCHASE_UPDATE' });
    expect(row.expiresAt?.getTime()).toBe((NOW_S + 7200) * 1000);
    const res = await patch(id, { name: 'renamed' });
    expect(res.json()).toMatchObject({ name: 'renamed', expires_at: NOW_S + 7200, max_attempts: 3, max_retry_seconds: 600, message_tag: 'POST_PURCHASE_UPDATE' });

    const plain = await create();
    expect(await h.db.prisma.campaign.findUniqueOrThrow({ where: { id: plain } })).toMatchObject({
      maxAttempts: 8,
      maxRetrySeconds: 3600,
      messageTag: null,
      expiresAt: null,
    });
  });

  test.each([
    ['expires_at in the past', { expires_at: NOW_S - 1 }, 'expires_at'],
    ['expires_at now', { expires_at: NOW_S }, 'expires_at'],
    ['expires_at before send_time', { send_type: 'schedule', send_time: NOW_S + 3600, expires_at: NOW_S + 1800 }, 'expires_at'],
    ['expires_at not an integer', { expires_at: 'soon' }, 'expires_at'],
    ['max_attempts 0', { max_attempts: 0 }, 'max_attempts'],
    ['max_attempts 51', { max_attempts: 51 }, 'max_attempts'],
    ['max_retry_seconds 0', { max_retry_seconds: 0 }, 'max_retry_seconds'],
    ['max_retry_seconds over 7 days', { max_retry_seconds: 7 * 86400 + 1 }, 'max_retry_seconds'],
    ['an unknown message_tag', { channel_id: 'facebook', message_tag: 'MARKETING' }, 'message_tag'],
    ['message_tag on sms', { message_tag: 'ACCOUNT_UPDATE' }, 'message_tag'],
  ])('%s is refused with the field named, nothing written', async (_, extra, field) => {
    const before = await rowCounts(h.db);
    // The table is built before beforeAll runs: 'facebook' stands for the facebook channel's id.
    const payload = createBody({ ...extra, ...('channel_id' in extra ? { channel_id: facebook } : {}) });
    const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(await rowCounts(h.db)).toEqual(before);
  });
});

describe('PATCH', () => {
  test('rescheduling moves the delayed launch job: one job, at the new time', async () => {
    const id = await create({ send_type: 'schedule', send_time: NOW_S + 3600 });
    expect((await h.queues.launch.getJob(launchJobId(id, 0)))?.delay).toBe(3_600_000);

    const res = await patch(id, { send_time: NOW_S + 7200 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'scheduled', send_time: NOW_S + 7200 });
    let jobs = await launchJobsOf(h, id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.delay).toBe(7_200_000);
    expect(await jobs[0]!.getState()).toBe('delayed');

    // And again: the job of the previous reschedule is the one removed this time.
    await patch(id, { send_time: NOW_S + 600 });
    jobs = await launchJobsOf(h, id);
    expect(jobs.map((j) => j.delay)).toEqual([600_000]);

    // Launching early removes it too.
    expect((await h.request({ method: 'POST', url: `/v1/campaigns/${id}/launch` })).statusCode).toBe(200);
    jobs = await launchJobsOf(h, id);
    expect(jobs.map((j) => j.id)).toEqual([launchJobId(id, 1)]);
  });

  test('a draft gets scheduled, and a scheduled campaign goes back to draft without its job', async () => {
    const id = await create();
    const scheduled = await patch(id, { send_type: 'schedule', send_time: NOW_S + 900 });
    expect(scheduled.json()).toMatchObject({ status: 'scheduled', send_type: 'schedule', send_time: NOW_S + 900 });
    expect((await launchJobsOf(h, id)).map((j) => j.delay)).toEqual([900_000]);

    const draft = await patch(id, { send_type: 'draft' });
    expect(draft.json()).toMatchObject({ status: 'draft', send_type: 'draft' });
    expect(await launchJobsOf(h, id)).toHaveLength(0);
  });

  test('content and settings are validated like on create', async () => {
    const id = await create({ send_type: 'schedule', send_time: NOW_S + 3600 });
    const cases: [object, number, string, string?][] = [
      [{ content_type: 'template' }, 400, 'CONTENT_REQUIRED', 'msg_param'],
      [{ content_type: 'template', msg_param: { name: 't', language: { code: 'en' } } }, 400, 'CONTENT_NOT_SUPPORTED', 'content_type'],
      [{ content: '' }, 400, 'CONTENT_REQUIRED', 'content'],
      [{ send_time: NOW_S - 10 }, 400, 'SEND_TIME_INVALID', 'send_time'],
      [{ send_type: 'immediately' }, 400, 'VALIDATION_FAILED', 'send_type'],
      [{ expires_at: NOW_S + 60 }, 400, 'VALIDATION_FAILED', 'expires_at'],
      [{ message_tag: 'HUMAN_AGENT' }, 400, 'VALIDATION_FAILED', 'message_tag'],
      [{ max_attempts: 99 }, 400, 'VALIDATION_FAILED', 'max_attempts'],
      [{ channel_id: facebook }, 400, 'VALIDATION_FAILED'],
      [{}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await patch(id, payload);
      expect({ payload, status: res.statusCode, code: res.json().error?.code }).toEqual({ payload, status, code });
      if (field) expect(res.json().error.field).toBe(field);
    }
    const row = await campaignRow(h.db.pool, id);
    expect(row).toMatchObject({ status: 'scheduled', name: 'c' });

    const ok = await patch(id, { content: 'new text', expires_at: NOW_S + 7200, max_attempts: 2, max_retry_seconds: 60 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ content: 'new text', expires_at: NOW_S + 7200, max_attempts: 2, max_retry_seconds: 60 });
    const cleared = await patch(id, { expires_at: null });
    expect(cleared.json().expires_at).toBeNull();
  });
});

describe('expiry', () => {
  test('launching after expires_at expires the campaign and its recipients instead', async () => {
    const id = await create({ expires_at: NOW_S + 60 });
    clock = new Date(START.getTime() + 61_000);
    const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/launch` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CAMPAIGN_EXPIRED', details: { status: 'expired', expires_at: NOW_S + 60 } });
    expect((await campaignRow(h.db.pool, id)).status).toBe('expired');
    expect((await recipientStatuses(h.db.pool, id)).map((r) => [r.status, r.reason])).toEqual([
      ['expired', 'campaign_expired'],
      ['expired', 'campaign_expired'],
    ]);
    expect(await launchJobsOf(h, id)).toHaveLength(0);
  });

  test('resuming after expires_at expires the paused campaign; unsent rows expire, sent ones stay', async () => {
    const id = await insertCampaign(h.db.pool, sms, {
      status: 'paused',
      expiresAt: new Date(START.getTime() + 1000),
      recipients: ['sent', 'pending', 'retrying', 'sending'],
    });
    clock = new Date(START.getTime() + 2000);
    const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/resume` });
    expect(res.json().error.code).toBe('CAMPAIGN_EXPIRED');
    expect((await recipientStatuses(h.db.pool, id)).map((r) => r.status)).toEqual(['sent', 'expired', 'expired', 'sending']);
    expect(await launchJobsOf(h, id)).toHaveLength(0);
  });
});
