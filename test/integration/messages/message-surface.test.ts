/**
 * The product surface around one-off messages: a campaign carrying a rich message with
 * per-recipient variables, the CLI's `send` and `messages` commands against a listening API, the
 * admin page's message list, and the OpenAPI description.
 */
import { jest } from '@jest/globals';
import { runCli } from '../../../src/cli/cli.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { openWindow } from '../dispatch/fixtures.js';
import { createChannel, createE2e, ledger, numberList, postCampaign, runCampaign, type E2e } from '../providers-e2e/e2e-harness.js';
import { TEST_DATABASE_BASE_URL } from '../../helpers/database.js';
import { createApiKey } from '../../../src/auth/api-keys.js';

jest.setTimeout(120_000);

let e2e: E2e;
let sim: ConnectlySimulator;
let whatsapp: string;
let key: string;

beforeAll(async () => {
  e2e = await createE2e('msg_surface');
  sim = await startConnectlySimulator();
  whatsapp = await createChannel(e2e, {
    provider: 'connectly',
    kind: 'whatsapp',
    sender_id: '+14151111234',
    settings: { businessId: sim.businessId, baseUrl: sim.url },
    credentials: { apiKey: sim.apiKey },
  });
  await e2e.listen();
  key = (await createApiKey(e2e.db.prisma, 'cli')).key;
});

afterAll(async () => {
  await e2e?.close();
  await sim?.close();
});

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { CD_API_URL: e2e.baseUrl!, CD_API_KEY: key },
    databaseUrl: TEST_DATABASE_BASE_URL,
  });
  return { code, out, err };
}

describe('a campaign of interactive content', () => {
  it('sends the rich message to every recipient with their own variables', async () => {
    const list = numberList(2, (i) => ({ name: `N${i}` }), 600);
    for (const { number } of list) {
      await openWindow(e2e.db.pool, whatsapp, number);
      sim.recordInbound(number);
    }
    const message = { kind: 'reply_buttons', text: 'Coming to the sale, {{name}}?', footer: 'Reply below', buttons: [{ id: 'yes', text: 'Yes' }, { id: 'no', text: 'No' }] };
    const id = await runCampaign(e2e, { channel_id: whatsapp, content_type: 'interactive', message, number_list: list });
    expect((await ledger(e2e, id)).map((r) => [r.status, r.sent_content])).toEqual([['sent', 'session'], ['sent', 'session']]);
    const texts = sim.acceptedSends().map((s) => (s.body as { message: { text: string; replyButtonMessage: unknown } }).message).map((m) => m.text).sort();
    expect(texts).toEqual(['Coming to the sale, N600?', 'Coming to the sale, N601?']);
    const read = (await e2e.request({ method: 'GET', url: `/v1/campaigns/${id}` })).json<{ content_type: string; message: unknown }>();
    expect(read).toMatchObject({ content_type: 'interactive', message });
  });

  it('is refused up front where the provider cannot send it', async () => {
    const res = await postCampaign(e2e, {
      channel_id: whatsapp,
      content_type: 'interactive',
      message: { kind: 'list', button: { text: 'b' }, sections: [{ rows: [] }] },
      number_list: numberList(1, undefined, 610),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'message.sections[0].rows' } });
  });
});

describe('the CLI', () => {
  it('send --wait: the message goes out and the command says how', async () => {
    const to = '+14155550620';
    await openWindow(e2e.db.pool, whatsapp, to);
    sim.recordInbound(to);
    const run = await cli(['send', '--channel', whatsapp, '--to', to, '--text', 'Hi {{name}}', '--var', 'name=Ana', '--request-id', 'cli-1', '--wait']);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^message [0-9a-f-]{36} pending$/);
    expect(run.out[1]).toMatch(/ sent to \+14155550620 \(session\), provider id /);
    expect(sim.acceptedSends().filter((s) => s.to === to).map((s) => (s.body as { message: { text: string } }).message.text)).toEqual(['Hi Ana']);

    const again = await cli(['send', '--channel', whatsapp, '--to', to, '--text', 'Hi {{name}}', '--var', 'name=Ana', '--request-id', 'cli-1']);
    expect(again.out[0]).toMatch(/ sent \(request_id seen before: the original message\)$/);
    expect(sim.acceptedSends().filter((s) => s.to === to)).toHaveLength(1);
  });

  it('send --wait exits 1 when the message is not sent (window closed, no template)', async () => {
    const run = await cli(['send', '--channel', whatsapp, '--to', '+14155550621', '--text', 'Hi', '--wait']);
    expect(run.code).toBe(1);
    expect(run.out[1]).toMatch(/ skipped to \+14155550621 \(window_closed_no_template\)$/);
  });

  it('messages list and show', async () => {
    const list = await cli(['messages', 'list', '--channel', whatsapp]);
    expect(list.code).toBe(0);
    expect(list.out).toHaveLength(2);
    expect(list.out[1]).toContain('cli-1');
    const id = list.out[1]!.split(' ')[0]!;
    const show = await cli(['messages', 'show', id]);
    expect(show.out).toEqual(expect.arrayContaining([`id          ${id}`, 'request id  cli-1', expect.stringMatching(/^sent {8}session at /)]));
    expect((await cli(['campaigns', 'list'])).out.join('\n')).not.toContain(id);
  });
});

describe('admin page and API description', () => {
  it('/admin/messages lists the messages', async () => {
    const res = await e2e.request({ method: 'GET', url: '/admin/messages' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Messages</h1>');
    expect(res.body).toContain('cli-1');
    expect(res.body).toContain('window_closed_no_template');
    const bridged = await e2e.request({ method: 'GET', url: '/admin/api/messages?limit=1' });
    expect(bridged.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('/docs/json describes the message routes', async () => {
    const doc = (await e2e.request({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>> }>();
    expect(Object.keys(doc.paths['/v1/messages']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths['/v1/messages']!.post!.responses).toHaveProperty('202');
    expect(doc.paths['/v1/messages/{id}']!.get!.tags).toEqual(['messages']);
  });
});
