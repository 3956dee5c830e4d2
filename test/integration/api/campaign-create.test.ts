/**
 * POST /v1/campaigns with inline recipients: what lands in Postgres, what lands in the launch
 * queue, and that every rejected request writes nothing.
 */
import { launchJobId } from '../../../src/queue/names.js';
import { createApiHarness, insertChannel, rowCounts, type ApiHarness } from './api-harness.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

let h: ApiHarness;
let whatsapp: string;
let sms: string;

beforeAll(async () => {
  h = await createApiHarness('api_create', { config: { maxInlineRecipients: 5 }, now: () => NOW });
  whatsapp = await insertChannel(h.db, 'whatsapp');
  sms = await insertChannel(h.db, 'sms');
});
afterAll(async () => {
  await h.close();
});

function textCampaign(overrides: Record<string, unknown> = {}) {
  return {
    name: 'SummerSale',
    channel_id: sms,
    recipient_type: 'input',
    number_list: [{ number: '+8613800001111' }, { number: '+8613800002222' }],
    content_type: 'text',
    content: 'Up to 50% off',
    send_type: 'draft',
    send_mode: 'new_session',
    ...overrides,
  };
}

const TEMPLATE = {
  id: 1773,
  template_id: '1293546285747227',
  name: 'discount_campaign',
  language: { code: 'en' },
  parameter_format: 'NAMED',
  components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'VIP', parameter_name: 'customertier' }] }],
};

describe('accepted campaigns', () => {
  test('numbers in typed formats are normalised to E.164 and de-duplicated, first occurrence winning', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/v1/campaigns',
      payload: textCampaign({
        number_list: [
          { number: '+1 (202) 555-0101', variables: { name: 'Ann' } },
          { number: '0086 138-0000-1111' },
          { number: '+1-202-555-0101', variables: { name: 'Bob' } },
          { number: '+86 138 0000 1111' },
          { number: '+44 20 7946 0958' },
        ],
      }),
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'draft', recipient_count: 3, duplicates_removed: 2 });
    const rows = await h.db.prisma.recipient.findMany({ where: { campaignId: body.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.number, r.variables, r.status])).toEqual([
      ['+12025550101', { name: 'Ann' }, 'pending'],
      ['+8613800001111', null, 'pending'],
      ['+442079460958', null, 'pending'],
    ]);
    const campaign = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id: body.id } });
    expect(campaign).toMatchObject({ status: 'draft', sendType: 'draft', recipientCount: 3, launchedAt: null, contentType: 'text', sendMode: 'new_session' });
    expect(await h.queues.launch.getJob(launchJobId(body.id))).toBeUndefined();
  });

  test('send_type immediately: running, launched now, one waiting launch job', async () => {
    const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: textCampaign({ send_type: 'immediately' }) });
    expect(res.statusCode).toBe(201);
    const { id, status } = res.json();
    expect(status).toBe('running');
    const campaign = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(campaign.status).toBe('running');
    expect(campaign.launchedAt?.toISOString()).toBe(NOW.toISOString());
    const job = await h.queues.launch.getJob(launchJobId(id));
    expect(job?.data).toEqual({ campaignId: id });
    expect(await job?.getState()).toBe('waiting');
    expect(await h.queues.launch.getJobCounts('waiting', 'delayed')).toMatchObject({ waiting: 1 });
  });

  test('send_type "scheduled" (the seed’s spelling): one delayed launch job due at send_time', async () => {
    const sendTime = NOW_S + 3600;
    const res = await h.request({
      method: 'POST',
      url: '/v1/campaigns',
      payload: textCampaign({ send_type: 'scheduled', send_time: sendTime, channel_id: whatsapp, content_type: 'template', content: undefined, msg_param: JSON.stringify(TEMPLATE) }),
    });
    expect(res.statusCode).toBe(201);
    const { id, status } = res.json();
    expect(status).toBe('scheduled');
    const campaign = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(campaign).toMatchObject({ status: 'scheduled', sendType: 'schedule', launchedAt: null, msgParam: TEMPLATE });
    expect(campaign.sendTime?.getTime()).toBe(sendTime * 1000);
    const job = await h.queues.launch.getJob(launchJobId(id));
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(3600 * 1000);
    expect(await h.queues.launch.getJobCounts('delayed')).toEqual({ delayed: 1 });
  });

  test('a document campaign keeps its File_Info string; msg_param may be an object', async () => {
    const file = JSON.stringify({ id: 'f1', name: 'demo.jpeg', uri: '20250725/f1', type: 'image/jpeg', size: 88555 });
    const res = await h.request({
      method: 'POST',
      url: '/v1/campaigns',
      payload: textCampaign({ channel_id: whatsapp, content_type: 'document', content: file, msg_param: TEMPLATE }),
    });
    expect(res.statusCode).toBe(201);
    const campaign = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id: res.json().id } });
    expect(campaign).toMatchObject({ contentType: 'document', content: file, msgParam: TEMPLATE });
  });
});

describe('rejected campaigns write nothing', () => {
  const cases: [string, () => Record<string, unknown>, number, string, string | undefined][] = [
    ['an invalid number, named by index', () => textCampaign({ number_list: [{ number: '+8613800001111' }, { number: '+1 555 555 5555' }] }), 400, 'INVALID_PHONE_NUMBER', 'number_list[1].number'],
    ['a number without country code', () => textCampaign({ number_list: [{ number: '2025550101' }] }), 400, 'INVALID_PHONE_NUMBER', 'number_list[0].number'],
    ['a number of the wrong type', () => textCampaign({ number_list: [{ number: '+8613800001111' }, { number: 8613800001111 }] }), 400, 'VALIDATION_FAILED', 'number_list[1].number'],
    ['an entry without number', () => textCampaign({ number_list: [{ variables: {} }] }), 400, 'VALIDATION_FAILED', 'number_list[0].number'],
    ['a variable that is not a string', () => textCampaign({ number_list: [{ number: '+8613800001111', variables: { n: 1 } }] }), 400, 'VALIDATION_FAILED', 'number_list[0].variables.n'],
    ['a missing name', () => textCampaign({ name: undefined }), 400, 'VALIDATION_FAILED', 'name'],
    ['an unknown send_type', () => textCampaign({ send_type: 'later' }), 400, 'VALIDATION_FAILED', 'send_type'],
    ['text without content', () => textCampaign({ content: '' }), 400, 'CONTENT_REQUIRED', 'content'],
    ['document without a File_Info uri', () => textCampaign({ content_type: 'document', content: '{"name":"x"}' }), 400, 'CONTENT_REQUIRED', 'content'],
    ['template without msg_param', () => textCampaign({ channel_id: whatsapp, content_type: 'template', content: undefined }), 400, 'CONTENT_REQUIRED', 'msg_param'],
    ['template without language', () => textCampaign({ channel_id: whatsapp, content_type: 'template', msg_param: JSON.stringify({ name: 't' }) }), 400, 'CONTENT_REQUIRED', 'msg_param.language.code'],
    ['msg_param of the wrong type', () => textCampaign({ msg_param: 5 }), 400, 'VALIDATION_FAILED', 'msg_param'],
    ['a template on an SMS channel', () => textCampaign({ content_type: 'template', msg_param: TEMPLATE }), 400, 'CONTENT_NOT_SUPPORTED', 'content_type'],
    ['an unknown channel', () => textCampaign({ channel_id: '00000000-0000-4000-8000-000000000000' }), 400, 'UNKNOWN_CHANNEL', 'channel_id'],
    ['a channel id that is no UUID', () => textCampaign({ channel_id: '7' }), 400, 'UNKNOWN_CHANNEL', 'channel_id'],
    ['schedule in the past', () => textCampaign({ send_type: 'schedule', send_time: NOW_S - 1 }), 400, 'SEND_TIME_INVALID', 'send_time'],
    ['schedule without send_time', () => textCampaign({ send_type: 'schedule' }), 400, 'SEND_TIME_INVALID', 'send_time'],
    ['send_time as a string', () => textCampaign({ send_type: 'schedule', send_time: String(NOW_S + 60) }), 400, 'VALIDATION_FAILED', 'send_time'],
    ['more inline recipients than the cap (5 here)', () => textCampaign({ number_list: Array.from({ length: 6 }, (_, i) => ({ number: `+861380000${1000 + i}` })) }), 400, 'TOO_MANY_RECIPIENTS', 'number_list'],
    ['an empty number_list', () => textCampaign({ number_list: [] }), 400, 'NO_RECIPIENTS', 'number_list'],
    ['input without number_list', () => textCampaign({ number_list: undefined }), 400, 'NO_RECIPIENTS', 'number_list'],
    ['phonebook without recipient_num_type', () => textCampaign({ recipient_type: 'phonebook', recipient_id: 1, number_list: undefined }), 400, 'VALIDATION_FAILED', 'recipient_num_type'],
    ['an unknown phonebook', () => textCampaign({ recipient_type: 'phonebook', recipient_id: 999, recipient_num_type: 'mobile_number' }), 400, 'UNKNOWN_PHONEBOOK', 'recipient_id'],
  ];

  test.each(cases)('%s', async (_label, payload, status, code, field) => {
    const before = await rowCounts(h.db);
    const jobsBefore = await h.queues.launch.getJobCountByTypes('waiting', 'delayed');
    const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: payload() });
    expect(res.statusCode).toBe(status);
    const { error } = res.json();
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(typeof error.message).toBe('string');
    expect(await rowCounts(h.db)).toEqual(before);
    expect(await h.queues.launch.getJobCountByTypes('waiting', 'delayed')).toBe(jobsBefore);
  });
});
