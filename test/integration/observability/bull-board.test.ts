/**
 * The job board at /admin/queues: API keys as Bearer or as the Basic password, read-only for keys
 * without the admin scope (both in what the board's API says and in what it lets through).
 */
import { createObservabilityHarness, type ObservabilityHarness } from './observability-harness.js';

let h: ObservabilityHarness;

beforeAll(async () => {
  h = await createObservabilityHarness('obs_board');
});
afterAll(async () => {
  await h.close();
});

const basic = (password: string, user = 'ops'): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface QueueList {
  queues: { name: string; readOnlyMode: boolean; allowRetries: boolean; isPaused: boolean }[];
}

test('without credentials, or with a wrong password, the board asks the browser to sign in', async () => {
  for (const headers of [{}, { authorization: basic('cdk_not-a-key') }, { authorization: 'Bearer cdk_not-a-key' }]) {
    const res = await h.app.inject({ method: 'GET', url: '/admin/queues', headers });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  }
  const api = await h.app.inject({ method: 'GET', url: '/admin/queues/api/queues' });
  expect(api.statusCode).toBe(401);
});

test('a key without the read scope is refused', async () => {
  const res = await h.app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: basic(h.keys.send) } });
  expect(res.statusCode).toBe(403);
});

test('a read key opens the page and its assets, and sees both queues read-only', async () => {
  const page = await h.app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: basic(h.keys.read) } });
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  const asset = /(?:src|href)="[^"]*?(static\/[^"]+\.js)"/.exec(page.body)?.[1];
  expect(asset).toBeDefined();
  const script = await h.app.inject({ method: 'GET', url: `/admin/queues/${asset}`, headers: { authorization: basic(h.keys.read) } });
  expect(script.statusCode).toBe(200);

  const res = await h.request({ method: 'GET', url: '/admin/queues/api/queues' }, h.keys.read);
  expect(res.statusCode).toBe(200);
  const list = res.json() as QueueList;
  expect(list.queues.map((q) => q.name).sort()).toEqual(['campaign-launch', 'send']);
  for (const queue of list.queues) {
    expect(queue.readOnlyMode).toBe(true);
    expect(queue.allowRetries).toBe(false);
  }
});

test('a read key cannot act on a queue; an admin key can', async () => {
  const refused = await h.request({ method: 'PUT', url: '/admin/queues/api/queues/send/pause' }, h.keys.read);
  expect(refused.statusCode).toBe(403);
  expect(await h.queues.send.isPaused()).toBe(false);

  const list = (await h.request({ method: 'GET', url: '/admin/queues/api/queues' }, h.keys.admin)).json() as QueueList;
  expect(list.queues.every((q) => q.readOnlyMode === false)).toBe(true);

  const paused = await h.app.inject({ method: 'PUT', url: '/admin/queues/api/queues/send/pause', headers: { authorization: basic(h.keys.admin) } });
  expect(paused.statusCode).toBe(200);
  expect(await h.queues.send.isPaused()).toBe(true);
  const resumed = await h.request({ method: 'PUT', url: '/admin/queues/api/queues/send/resume' }, h.keys.admin);
  expect(resumed.statusCode).toBe(200);
  expect(await h.queues.send.isPaused()).toBe(false);
});
