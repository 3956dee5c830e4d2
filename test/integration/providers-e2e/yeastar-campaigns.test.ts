/**
 * Campaign level through the Yeastar simulator, API to ledger: templates from a name (NAMED and
 * POSITIONAL) and their validation, template listing, upload-once documents, token expiry in the
 * middle of a campaign, and each error class landing in the ledger with the PBX's own code.
 */
import { jest } from '@jest/globals';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
import { waitForCampaignCompleted } from '../dispatch/fixtures.js';
import { createChannel, createE2e, freePort, ledger, multipart, numberList, postCampaign, runCampaign, type E2e } from './e2e-harness.js';

jest.setTimeout(180_000);

let e2e: E2e;
let sim: YeastarSimulator;
let whatsapp: string;
let sms: string;

const DISCOUNT_VARIABLES = (i: number) => ({
  customertier: `Tier${i}`,
  offertype: 'discount',
  offerdetails: `${10 + i}% off`,
  expirydate: 'July 31, 2025',
  companyname: 'SmartMal',
});

function sendsTo(path: string): number {
  return sim.requests.filter((r) => r.path.endsWith(path)).length;
}

async function campaignCount(): Promise<number> {
  return e2e.db.prisma.campaign.count();
}

beforeAll(async () => {
  e2e = await createE2e('e2e_yeastar');
  sim = await startYeastarSimulator();
  const credentials = { clientId: sim.clientId, clientSecret: sim.clientSecret };
  whatsapp = await createChannel(e2e, {
    provider: 'yeastar',
    kind: 'whatsapp',
    sender_id: '+15550193510',
    settings: { baseUrl: sim.url, channelType: 'whatsapp' },
    credentials,
  });
  sms = await createChannel(e2e, { provider: 'yeastar', kind: 'sms', sender_id: '+15550193511', settings: { baseUrl: sim.url, channelType: 'twilio' }, credentials });
});

afterAll(async () => {
  await e2e?.close();
  await sim?.close();
});

beforeEach(() => sim.reset());

describe('templates', () => {
  it('lists the channel templates with the variables a campaign from the name needs', async () => {
    const res = await e2e.request({ method: 'GET', url: `/v1/channels/${whatsapp}/templates?search=discount&page_size=5` });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ total: number; items: { name: string; parameter_format: string; variables: string[] }[] }>();
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      name: 'discount_campaign',
      parameter_format: 'NAMED',
      variables: ['customertier', 'offertype', 'offerdetails', 'expirydate', 'companyname'],
    });
    expect(sim.requests.find((r) => r.path.endsWith('/whatsapp_template'))?.query).toMatchObject({ search_value: 'discount', page_size: '5' });
  });

  it('NAMED: a campaign from the template name sends each recipient its own values, with the header file uploaded once', async () => {
    const upload = multipart([{ name: 'banner.jpeg', type: 'image/jpeg', data: Buffer.alloc(2048, 7) }]);
    const uploaded = await e2e.request({ method: 'POST', url: `/v1/channels/${whatsapp}/files`, ...upload });
    expect(uploaded.statusCode).toBe(201);
    const file = uploaded.json<{ files: { uri: string; name: string }[] }>().files[0]!;

    const id = await runCampaign(e2e, {
      channel_id: whatsapp,
      content_type: 'template',
      template_name: 'discount_campaign',
      template_language: 'en',
      template_header_file: file,
      number_list: numberList(3, DISCOUNT_VARIABLES),
    });

    const rows = await ledger(e2e, id);
    expect(rows.map((r) => [r.status, r.sent_content])).toEqual(Array(3).fill(['sent', 'template']));
    const sends = sim.acceptedSends();
    expect(sends).toHaveLength(3);
    for (const send of sends) {
      const i = Number(send.to.slice(-3));
      const body = send.body as { msg_kind: number; whatsapp_msg_param: string };
      expect(body.msg_kind).toBe(1);
      const param = JSON.parse(body.whatsapp_msg_param) as { id: number; name: string; components: { type: string; parameters: Record<string, unknown>[] }[] };
      expect(param).toMatchObject({ id: 1773, template_id: '1293546285747227', name: 'discount_campaign', language: { code: 'en' }, parameter_format: 'NAMED' });
      const [header, bodyComponent, buttons] = param.components;
      expect(header).toEqual({ type: 'HEADER', parameters: [{ type: 'IMAGE', file_list: [file] }] });
      const values = Object.fromEntries(bodyComponent!.parameters.map((p) => [p.parameter_name, p.text]));
      expect(values).toEqual(DISCOUNT_VARIABLES(i));
      expect(buttons).toEqual({ type: 'BUTTONS', parameters: [{ type: 'FLOW', text: '' }, { type: 'URL', text: '' }, { type: 'VOICE_CALL', text: '' }] });
    }
    expect(sendsTo('/message/batchupload')).toBe(1);
    // The stored msg_param carries placeholders, not one recipient's values.
    const stored = await e2e.request({ method: 'GET', url: `/v1/campaigns/${id}` });
    expect(JSON.stringify(stored.json<{ msg_param: unknown }>().msg_param)).toContain('{{customertier}}');
  });

  it('POSITIONAL: variables "1", "2" fill the body in order', async () => {
    const id = await runCampaign(e2e, {
      channel_id: whatsapp,
      content_type: 'template',
      template_name: 'order_update',
      number_list: numberList(2, (i) => ({ '1': `Ann${i}`, '2': `A-${100 + i}` }), 10),
    });
    expect((await ledger(e2e, id)).every((r) => r.status === 'sent')).toBe(true);
    for (const send of sim.acceptedSends()) {
      const i = Number(send.to.slice(-3));
      const param = JSON.parse((send.body as { whatsapp_msg_param: string }).whatsapp_msg_param) as { components: { parameters: { text: string }[] }[] };
      expect(param.components).toEqual([{ type: 'BODY', parameters: [{ type: 'TEXT', text: `Ann${i}` }, { type: 'TEXT', text: `A-${100 + i}` }] }]);
    }
  });

  it('refuses, before writing anything: a missing variable, an unknown name, a media header without its file, a msg_param that does not match', async () => {
    const before = await campaignCount();
    const list = numberList(3, DISCOUNT_VARIABLES);
    delete list[1]!.variables!.offertype;
    const file = { uri: '20250725/65a7872eedb341068369fe67664e0fa1' };
    const missing = await postCampaign(e2e, { channel_id: whatsapp, content_type: 'template', template_name: 'discount_campaign', template_header_file: file, number_list: list });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { code: 'TEMPLATE_VARIABLES_MISSING', field: 'number_list[1].variables.offertype' } });

    const unknown = await postCampaign(e2e, { channel_id: whatsapp, content_type: 'template', template_name: 'no_such_template', number_list: numberList(1) });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'TEMPLATE_NOT_FOUND', field: 'template_name' } });

    const noHeader = await postCampaign(e2e, { channel_id: whatsapp, content_type: 'template', template_name: 'discount_campaign', number_list: numberList(1, DISCOUNT_VARIABLES) });
    expect(noHeader.json()).toMatchObject({ error: { code: 'TEMPLATE_PARAMETERS_INVALID', field: 'template_header_file' } });

    const oneParameter = { name: 'order_update', language: { code: 'en' }, parameter_format: 'POSITIONAL', components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'Ann' }] }] };
    const mismatch = await postCampaign(e2e, { channel_id: whatsapp, content_type: 'template', msg_param: JSON.stringify(oneParameter), number_list: numberList(1) });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ error: { code: 'TEMPLATE_PARAMETERS_INVALID', field: 'msg_param.components[0].parameters' } });

    // A phonebook campaign is checked in the ledger, inside the creating transaction (rolled back).
    const { rows } = await e2e.db.pool.query<{ id: string }>(`INSERT INTO phonebooks (name) VALUES ('vip') RETURNING id::text AS id`);
    await e2e.db.pool.query(
      `INSERT INTO contacts (phonebook_id, first_name, mobile_number, variables) VALUES ($1, 'Ann', '+14155009001', '{"1": "Ann", "2": "A-1"}'), ($1, 'Bob', '+14155009002', '{"1": "Bob"}')`,
      [rows[0]!.id],
    );
    const phonebook = await postCampaign(e2e, {
      channel_id: whatsapp,
      content_type: 'template',
      template_name: 'order_update',
      recipient_type: 'phonebook',
      recipient_id: Number(rows[0]!.id),
      recipient_num_type: 'mobile_number',
    });
    expect(phonebook.statusCode).toBe(400);
    expect(phonebook.json()).toMatchObject({ error: { code: 'TEMPLATE_VARIABLES_MISSING', field: 'recipient_id', details: { number: '+14155009002', missing: ['2'] } } });

    expect(await campaignCount()).toBe(before);
    expect(await e2e.db.prisma.recipient.count({ where: { number: '+14155009002' } })).toBe(0);
    expect(sim.acceptedSends()).toHaveLength(0);
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE when the PBX cannot be reached, and writes nothing', async () => {
    const down = await createChannel(e2e, {
      provider: 'yeastar',
      kind: 'whatsapp',
      sender_id: '+15550193599',
      settings: { baseUrl: `http://127.0.0.1:${await freePort()}/openapi/v1.0`, channelType: 'whatsapp' },
      credentials: { clientId: 'x', clientSecret: 'y' },
    });
    const before = await campaignCount();
    const res = await postCampaign(e2e, { channel_id: down, content_type: 'template', template_name: 'order_update', number_list: numberList(1, () => ({ '1': 'a', '2': 'b' })) });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'DEPENDENCY_UNAVAILABLE' } });
    expect(await campaignCount()).toBe(before);
  });
});

describe('documents', () => {
  it('uploads the file once and sends every recipient the same File_Info', async () => {
    const upload = multipart([{ name: 'menu.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 e2e menu') }]);
    const res = await e2e.request({ method: 'POST', url: `/v1/channels/${sms}/files`, ...upload });
    expect(res.statusCode).toBe(201);
    const [file] = res.json<{ files: { id: string; name: string; uri: string; type: string; size: number }[] }>().files;
    expect(file).toMatchObject({ name: 'menu.pdf', type: 'application/pdf', size: 17 });

    const id = await runCampaign(e2e, { channel_id: sms, content_type: 'document', content: JSON.stringify(file), number_list: numberList(5) });

    expect((await ledger(e2e, id)).map((r) => r.status)).toEqual(Array(5).fill('sent'));
    expect(sendsTo('/message/batchupload')).toBe(1);
    const sends = sim.acceptedSends();
    expect(sends).toHaveLength(5);
    for (const send of sends) expect((send.body as { files: unknown[] }).files).toEqual([file]);
  });

  it('refuses an upload without files (400) and one above 100 MB in total (413)', async () => {
    const empty = await e2e.request({ method: 'POST', url: `/v1/channels/${sms}/files`, ...multipart([]) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'NO_FILES' } });
    const big = multipart([{ name: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(100 * 1024 * 1024 + 1) }]);
    const tooLarge = await e2e.request({ method: 'POST', url: `/v1/channels/${sms}/files`, ...big });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(sendsTo('/message/batchupload')).toBe(0);
  });
});

describe('tokens', () => {
  it('survives every access token expiring mid-campaign: no failures, never more than one live token', async () => {
    sim.faults.setLatency(30); // keep the campaign running long enough to expire its token halfway
    const res = await postCampaign(e2e, { channel_id: sms, content_type: 'text', content: 'Hi {{name}}', number_list: numberList(300, (i) => ({ name: `N${i}` })) });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const deadline = Date.now() + 60_000;
    while (sim.acceptedSends().length < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sim.expireTokens();
    await waitForCampaignCompleted(e2e.db.pool, id);

    const rows = await ledger(e2e, id);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(sim.acceptedSends()).toHaveLength(300);
    const expiredAnswers = sim.requests.filter((r) => r.path.endsWith('/message/send') && (r.response as { errcode?: number }).errcode === 10004);
    expect(expiredAnswers.length).toBeGreaterThan(0);
    // One renewal for the whole fleet: the refresh (or a new get_token) happens once, under the lock.
    expect(sendsTo('/refresh_token') + sendsTo('/get_token')).toBe(1);
    expect(sim.peakLiveTokens()).toBeLessThanOrEqual(1);
    expect(sim.liveTokens()).toBe(1);
  });
});

describe('error classes in the ledger', () => {
  it('permanent: the send_error the PBX gave', async () => {
    const [bad, good] = numberList(2);
    sim.faults.failNumber(bad!.number, { body: { errcode: -1, errmsg: 'FAILURE', send_error: 'invalid_phone_number', send_error_msg: 'not a WhatsApp number' } });
    const id = await runCampaign(e2e, { channel_id: sms, content_type: 'text', content: 'hi', number_list: [bad, good] });
    const rows = await ledger(e2e, id);
    expect(rows[0]).toMatchObject({ number: bad!.number, status: 'failed', attempts: 1, last_error_code: 'invalid_phone_number', last_error_message: 'not a WhatsApp number', reason: 'provider_permanent' });
    expect(rows[1]).toMatchObject({ status: 'sent' });
  });

  it('auth: wrong credentials fail the recipients with the PBX code, without retries', async () => {
    const wrong = await createChannel(e2e, {
      provider: 'yeastar',
      kind: 'sms',
      sender_id: '+15550193512',
      settings: { baseUrl: sim.url, channelType: 'twilio' },
      // Another app id: tokens are cached per PBX app, so the right app with a wrong secret would
      // still use the token the other channels hold.
      credentials: { clientId: 'not-our-app', clientSecret: 'not-the-secret' },
    });
    const id = await runCampaign(e2e, { channel_id: wrong, content_type: 'text', content: 'hi', number_list: numberList(2) });
    for (const row of await ledger(e2e, id)) {
      expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error_code: '-1', reason: 'provider_auth' });
    }
    expect(sim.acceptedSends()).toHaveLength(0);
  });

  it('rate_limited: a 429 then success is sent on the second attempt', async () => {
    sim.faults.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const id = await runCampaign(e2e, { channel_id: sms, content_type: 'text', content: 'hi', number_list: numberList(1) });
    expect((await ledger(e2e, id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('retryable: a 503 then success is sent on the second attempt', async () => {
    sim.faults.failNext(1, { status: 503 });
    const id = await runCampaign(e2e, { channel_id: sms, content_type: 'text', content: 'hi', number_list: numberList(1) });
    expect((await ledger(e2e, id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
