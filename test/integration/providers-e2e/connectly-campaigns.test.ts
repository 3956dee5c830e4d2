/**
 * Campaign level through the Connectly simulator, API to ledger: session text and documents by
 * public URL, a POSITIONAL template (body_1…), what a closed 24-hour window does today, each error
 * class with Connectly's own code, and the capabilities Connectly does not have (template listing,
 * file storage) refused with a stable code.
 */
import { jest } from '@jest/globals';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { openWindow } from '../dispatch/fixtures.js';
import { createChannel, createE2e, ledger, multipart, numberList, runCampaign, type E2e } from './e2e-harness.js';

jest.setTimeout(180_000);

let e2e: E2e;
let sim: ConnectlySimulator;
let channel: string;

/** order_update as a full msg_param: POSITIONAL, variables "1" and "2" fill it per recipient. */
const ORDER_UPDATE = {
  name: 'order_update',
  language: { code: 'en' },
  parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: '{{1}}' }, { type: 'TEXT', text: '{{2}}' }] }],
};

/** Opens the window on both sides: our ledger (as an inbound webhook would) and the simulator. */
async function windowOpenFor(numbers: { number: string }[]): Promise<void> {
  for (const { number } of numbers) {
    await openWindow(e2e.db.pool, channel, number);
    sim.recordInbound(number);
  }
}

function connectlyError(code: string, message: string) {
  return { message, type: 'ERROR_TYPE_INVALID_REQUEST', code, userTitle: '', userMessage: message, cntTraceId: '', details: {} };
}

beforeAll(async () => {
  e2e = await createE2e('e2e_connectly');
  sim = await startConnectlySimulator();
  channel = await createChannel(e2e, {
    provider: 'connectly',
    kind: 'whatsapp',
    sender_id: '+14151111234',
    settings: { businessId: sim.businessId, baseUrl: sim.url },
    credentials: { apiKey: sim.apiKey },
  });
});

afterAll(async () => {
  await e2e?.close();
  await sim?.close();
});

beforeEach(() => sim.reset());

describe('content kinds', () => {
  it('text: session messages with each recipient’s variables', async () => {
    const list = numberList(2, (i) => ({ name: `N${i}` }), 0);
    await windowOpenFor(list);
    const id = await runCampaign(e2e, { channel_id: channel, content_type: 'text', content: 'Hi {{name}}', number_list: list });
    expect((await ledger(e2e, id)).map((r) => [r.status, r.sent_content])).toEqual([['sent', 'session'], ['sent', 'session']]);
    const texts = sim.acceptedSends().map((s) => (s.body as { message: { text: string } }).message.text).sort();
    expect(texts).toEqual(['Hi N0', 'Hi N1']);
  });

  it('document: a File_Info whose uri is a public https URL goes out as an attachment', async () => {
    const list = numberList(2, undefined, 10);
    await windowOpenFor(list);
    const file = { name: 'menu.pdf', uri: 'https://files.example.com/menu.pdf', type: 'application/pdf' };
    const id = await runCampaign(e2e, { channel_id: channel, content_type: 'document', content: JSON.stringify(file), number_list: list });
    expect((await ledger(e2e, id)).every((r) => r.status === 'sent')).toBe(true);
    for (const send of sim.acceptedSends()) {
      expect((send.body as { message: { attachments: unknown[] } }).message.attachments).toEqual([
        expect.objectContaining({ type: 'document', url: file.uri, filename: 'menu.pdf' }),
      ]);
    }
  });

  it('POSITIONAL template: each recipient’s "1", "2" become body_1, body_2', async () => {
    const list = numberList(3, (i) => ({ '1': `Ann${i}`, '2': `A-${i}` }), 20);
    const id = await runCampaign(e2e, { channel_id: channel, content_type: 'template', msg_param: ORDER_UPDATE, number_list: list });
    expect((await ledger(e2e, id)).map((r) => [r.status, r.sent_content])).toEqual(Array(3).fill(['sent', 'template']));
    for (const send of sim.acceptedSends()) {
      const i = Number(send.to.slice(-3));
      expect(send.body).toMatchObject({
        templateName: 'order_update',
        language: 'en',
        parameters: [{ name: 'body_1', value: `Ann${i}` }, { name: 'body_2', value: `A-${i}` }],
      });
    }
  });
});

describe('capabilities Connectly does not have', () => {
  it('answers 400 CAPABILITY_NOT_SUPPORTED for template listing, uploads and template_name', async () => {
    const templates = await e2e.request({ method: 'GET', url: `/v1/channels/${channel}/templates` });
    expect(templates.statusCode).toBe(400);
    expect(templates.json()).toMatchObject({ error: { code: 'CAPABILITY_NOT_SUPPORTED' } });
    const upload = await e2e.request({ method: 'POST', url: `/v1/channels/${channel}/files`, ...multipart([{ name: 'a.pdf', type: 'application/pdf', data: Buffer.from('x') }]) });
    expect(upload.statusCode).toBe(400);
    expect(upload.json()).toMatchObject({ error: { code: 'CAPABILITY_NOT_SUPPORTED' } });
    const byName = await e2e.request({
      method: 'POST',
      url: '/v1/campaigns',
      payload: { name: 'x', channel_id: channel, recipient_type: 'input', send_type: 'draft', content_type: 'template', template_name: 'order_update', number_list: numberList(1) },
    });
    expect(byName.statusCode).toBe(400);
    expect(byName.json()).toMatchObject({ error: { code: 'CAPABILITY_NOT_SUPPORTED' } });
    expect(sim.requests).toHaveLength(0);
  });
});

describe('the 24-hour window (current delivery behaviour)', () => {
  it('closed in our ledger: the fallback template goes at once; no template: skipped, nothing sent', async () => {
    const [withTemplate, withoutTemplate] = [numberList(1, () => ({ '1': 'Ann', '2': 'A-1' }), 30), numberList(1, undefined, 31)];
    const fallback = await runCampaign(e2e, { channel_id: channel, content_type: 'text', content: 'hi', msg_param: ORDER_UPDATE, number_list: withTemplate });
    expect((await ledger(e2e, fallback))[0]).toMatchObject({ status: 'sent', sent_content: 'template', reason: 'window_closed' });
    const none = await runCampaign(e2e, { channel_id: channel, content_type: 'text', content: 'hi', number_list: withoutTemplate });
    expect((await ledger(e2e, none))[0]).toMatchObject({ status: 'skipped', reason: 'window_closed_no_template' });
    expect(sim.acceptedSends().map((s) => s.kind)).toEqual(['template']);
  });

  it('open in our ledger but closed at Connectly: the provider refuses with its code, the template follows', async () => {
    const list = numberList(1, () => ({ '1': 'Ann', '2': 'A-1' }), 40);
    await openWindow(e2e.db.pool, channel, list[0]!.number); // ours only: the simulator's stays closed
    const id = await runCampaign(e2e, { channel_id: channel, content_type: 'text', content: 'hi', msg_param: ORDER_UPDATE, number_list: list });
    expect((await ledger(e2e, id))[0]).toMatchObject({ status: 'sent', sent_content: 'template', reason: 'window_closed' });
    const refused = sim.requests.filter((r) => r.path.endsWith('/send/messages'));
    expect(refused.map((r) => (r.response as { code: string }).code)).toEqual(['ERROR_CODE_MESSAGE_OUTSIDE_OF_ELIGIBILITY_WINDOW']);
    expect(sim.acceptedSends().map((s) => s.kind)).toEqual(['template']);

    // Without a template to fall back to, the recipient ends skipped (the refused message was not sent).
    const bare = numberList(1, undefined, 41);
    await openWindow(e2e.db.pool, channel, bare[0]!.number);
    const skipped = await runCampaign(e2e, { channel_id: channel, content_type: 'text', content: 'hi', number_list: bare });
    expect((await ledger(e2e, skipped))[0]).toMatchObject({ status: 'skipped', reason: 'window_closed_no_template' });
    expect(sim.requests.filter((r) => r.path.endsWith('/send/messages'))).toHaveLength(2);
  });
});

describe('error classes in the ledger', () => {
  it('permanent: Connectly’s code and message', async () => {
    const [bad, good] = numberList(2, (i) => ({ '1': `Ann${i}`, '2': 'x' }), 50);
    sim.faults.failNumber(bad!.number, { status: 400, body: connectlyError('ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID', 'not on WhatsApp') });
    const id = await runCampaign(e2e, { channel_id: channel, content_type: 'template', msg_param: ORDER_UPDATE, number_list: [bad, good] });
    const rows = await ledger(e2e, id);
    expect(rows[0]).toMatchObject({ status: 'failed', attempts: 1, last_error_code: 'ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID', reason: 'provider_permanent' });
    expect(rows[1]).toMatchObject({ status: 'sent' });
  });

  it('auth: a wrong API key fails the recipients with Connectly’s code, without retries', async () => {
    const wrong = await createChannel(e2e, {
      provider: 'connectly',
      kind: 'whatsapp',
      sender_id: '+14151111235',
      settings: { businessId: sim.businessId, baseUrl: sim.url },
      credentials: { apiKey: 'not-the-key' },
    });
    const id = await runCampaign(e2e, { channel_id: wrong, content_type: 'template', msg_param: ORDER_UPDATE, number_list: numberList(2, () => ({ '1': 'a', '2': 'b' }), 60) });
    for (const row of await ledger(e2e, id)) {
      expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error_code: 'ERROR_CODE_UNAUTHENTICATED', reason: 'provider_auth' });
    }
  });

  it('rate_limited: a 429 then success is sent on the second attempt', async () => {
    sim.faults.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const id = await runCampaign(e2e, { channel_id: channel, content_type: 'template', msg_param: ORDER_UPDATE, number_list: numberList(1, () => ({ '1': 'a', '2': 'b' }), 70) });
    expect((await ledger(e2e, id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('retryable: a 503 then success is sent on the second attempt', async () => {
    sim.faults.failNext(1, { status: 503 });
    const id = await runCampaign(e2e, { channel_id: channel, content_type: 'template', msg_param: ORDER_UPDATE, number_list: numberList(1, () => ({ '1': 'a', '2': 'b' }), 80) });
    expect((await ledger(e2e, id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
