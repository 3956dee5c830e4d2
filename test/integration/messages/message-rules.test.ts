/**
 * What one-off messages share with campaign sends, proven through the API against the Connectly
 * simulator: request_id idempotency under concurrent duplicates, the 24-hour window rule with its
 * template fallback (from our ledger, and from the provider's refusal), and the Messenger tag rule.
 * And that messages have their own list, apart from campaigns.
 */
import { jest } from '@jest/globals';
import { startConnectlySimulator, startYeastarSimulator, type ConnectlySimulator, type YeastarSimulator } from '../../simulators/index.js';
import { openWindow } from '../dispatch/fixtures.js';
import { createChannel, createE2e, postCampaign, type E2e } from '../providers-e2e/e2e-harness.js';
import { postMessage, sendMessage, settledMessage } from './message-helpers.js';

jest.setTimeout(120_000);

let e2e: E2e;
let sim: ConnectlySimulator;
let yeastar: YeastarSimulator;
let whatsapp: string;
let facebook: string;

const FALLBACK = {
  name: 'order_update',
  language: { code: 'en' },
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: '' }, { type: 'TEXT', text: '' }] }],
};

beforeAll(async () => {
  e2e = await createE2e('msg_rules');
  sim = await startConnectlySimulator();
  yeastar = await startYeastarSimulator();
  whatsapp = await createChannel(e2e, {
    provider: 'connectly',
    kind: 'whatsapp',
    sender_id: '+14151111234',
    settings: { businessId: sim.businessId, baseUrl: sim.url },
    credentials: { apiKey: sim.apiKey },
  });
  facebook = await createChannel(e2e, {
    provider: 'yeastar',
    kind: 'facebook',
    sender_id: '1000001',
    settings: { baseUrl: yeastar.url, channelType: 'facebook' },
    credentials: { clientId: yeastar.clientId, clientSecret: yeastar.clientSecret },
  });
});

afterAll(async () => {
  await e2e?.close();
  await sim?.close();
  await yeastar?.close();
});

const sendsTo = (to: string) => sim.acceptedSends().filter((s) => s.to === to);

describe('request_id', () => {
  it('concurrent duplicates make one message and one send; every answer is that message', async () => {
    const to = '+14155550401';
    await openWindow(e2e.db.pool, whatsapp, to);
    sim.recordInbound(to);
    const body = { channel_id: whatsapp, to, content_type: 'text', content: 'Your order shipped', request_id: 'order-4711-shipped' };
    const answers = await Promise.all(Array.from({ length: 12 }, () => postMessage(e2e, body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(202));
    const ids = new Set(answers.map((a) => a.json<{ id: string }>().id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => !a.json<{ replayed: boolean }>().replayed)).toHaveLength(1);
    const [id] = [...ids];
    const m = await settledMessage(e2e, id!);
    expect(m).toMatchObject({ status: 'sent', attempts: 1 });

    const { rows } = await e2e.db.pool.query(`SELECT count(*)::int AS n FROM campaigns WHERE request_id = 'order-4711-shipped'`);
    expect(rows[0]).toEqual({ n: 1 });
    expect(sendsTo(to)).toHaveLength(1);

    // Later, the same request again: the original, as it stands now; still one send.
    const again = await postMessage(e2e, body);
    expect(again.json()).toEqual({ id, status: 'sent', request_id: 'order-4711-shipped', replayed: true });
    expect(sendsTo(to)).toHaveLength(1);
  });

  it('is per channel, and generated when left out', async () => {
    const a = await postMessage(e2e, { channel_id: facebook, to: '+14155550402', content_type: 'text', content: 'x', tag: 'ACCOUNT_UPDATE', request_id: 'order-4711-shipped' });
    expect(a.json()).toMatchObject({ replayed: false });
    const b = await postMessage(e2e, { channel_id: whatsapp, to: '+14155550403', content_type: 'text', content: 'x', msg_param: FALLBACK, variables: { '1': 'a', '2': 'b' } });
    expect(b.json<{ request_id: string }>().request_id).toMatch(/^gen-/);
    await settledMessage(e2e, b.json<{ id: string }>().id);
  });
});

describe('the 24-hour window', () => {
  it('open: the message itself goes', async () => {
    const to = '+14155550410';
    await openWindow(e2e.db.pool, whatsapp, to);
    sim.recordInbound(to);
    const m = await sendMessage(e2e, { channel_id: whatsapp, to, content_type: 'text', content: 'Hi {{1}}', msg_param: FALLBACK, variables: { '1': 'Ana', '2': 'A-1' } });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'session', reason: null });
    expect(sendsTo(to).map((s) => s.kind)).toEqual(['session']);
  });

  it('closed: the fallback template goes instead, and the message says why', async () => {
    const to = '+14155550411';
    const m = await sendMessage(e2e, { channel_id: whatsapp, to, content_type: 'text', content: 'Hi {{1}}', msg_param: FALLBACK, variables: { '1': 'Ana', '2': 'A-2' } });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'template', reason: 'window_closed' });
    expect(sendsTo(to).map((s) => s.kind)).toEqual(['template']);
    expect(sendsTo(to)[0]!.body).toMatchObject({ templateName: 'order_update', parameters: [{ name: 'body_1', value: 'Ana' }, { name: 'body_2', value: 'A-2' }] });
  });

  it('closed by the provider although our ledger thought it open: falls back in the same run', async () => {
    const to = '+14155550412';
    await openWindow(e2e.db.pool, whatsapp, to); // the simulator has not heard from them
    const m = await sendMessage(e2e, {
      channel_id: whatsapp,
      to,
      content_type: 'interactive',
      message: { kind: 'location', latitude: 1, longitude: 2 },
      msg_param: FALLBACK,
      variables: { '1': 'Ana', '2': 'A-3' },
    });
    expect(m).toMatchObject({ status: 'sent', sent_content: 'template', reason: 'window_closed', attempts: 1 });
    expect(sendsTo(to).map((s) => s.kind)).toEqual(['template']);
  });

  it('closed without a template: skipped, never sent', async () => {
    const to = '+14155550413';
    const m = await sendMessage(e2e, { channel_id: whatsapp, to, content_type: 'text', content: 'Hi' });
    expect(m).toMatchObject({ status: 'skipped', reason: 'window_closed_no_template', provider_message_id: null });
    expect(sendsTo(to)).toHaveLength(0);
  });

  it('Messenger, closed without a tag: skipped', async () => {
    const m = await sendMessage(e2e, { channel_id: facebook, to: '+14155550414', content_type: 'text', content: 'Hi' });
    expect(m).toMatchObject({ status: 'skipped', reason: 'window_closed_no_tag' });
  });
});

describe('lists', () => {
  it('messages have their own list; the campaign list leaves them out', async () => {
    const campaign = await postCampaign(e2e, { channel_id: whatsapp, content_type: 'text', content: 'c', number_list: [{ number: '+14155550420' }], send_type: 'draft' });
    expect(campaign.statusCode).toBe(201);
    const campaigns = (await e2e.request({ method: 'GET', url: '/v1/campaigns?limit=200' })).json<{ items: { id: string }[] }>().items;
    expect(campaigns.map((c) => c.id)).toEqual([campaign.json<{ id: string }>().id]);
    const page = (await e2e.request({ method: 'GET', url: `/v1/messages?limit=3&channel_id=${whatsapp}` })).json<{ items: { id: string; status: string }[]; next_cursor: string }>();
    expect(page.items).toHaveLength(3);
    const rest = (await e2e.request({ method: 'GET', url: `/v1/messages?limit=200&channel_id=${whatsapp}&cursor=${page.next_cursor}` })).json<{ items: unknown[] }>();
    const { rows } = await e2e.db.pool.query(`SELECT count(*)::int AS n FROM campaigns WHERE kind = 'message' AND channel_id = $1`, [whatsapp]);
    expect(page.items.length + rest.items.length).toBe(rows[0].n);
    expect((await e2e.request({ method: 'GET', url: `/v1/messages/${campaign.json<{ id: string }>().id}` })).statusCode).toBe(404);
  });
});
