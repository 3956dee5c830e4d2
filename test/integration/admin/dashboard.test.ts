/**
 * The dashboard's HTTP contract, without a browser: who gets in (Basic or Bearer, 401 with a Basic
 * challenge otherwise), the security headers, buttons only for admin keys, and what a POST must
 * carry (admin scope, then the page's CSRF token with its session cookie). Also the two JSON
 * routes added with it: the sends-per-second timeline and queue health.
 */
import { createApiKey } from '../../../src/auth/api-keys.js';
import { createObservabilityHarness, type ObservabilityHarness } from '../observability/observability-harness.js';
import { insertCampaign, insertChannel, insertRecipients } from '../dispatch/fixtures.js';

let h: ObservabilityHarness;
let channelId: string;
let adminOnly: string;

beforeAll(async () => {
  h = await createObservabilityHarness('admin_page');
  channelId = await insertChannel(h.db.pool, { provider: 'yeastar', kind: 'sms', senderId: '+15550000001', settings: {}, credentials: {} });
  adminOnly = (await createApiKey(h.db.prisma, 'read-admin', ['read', 'admin'])).key;
});
afterAll(async () => {
  await h?.close();
});

const basic = (key: string) => `Basic ${Buffer.from(`anyone:${key}`).toString('base64')}`;

async function runningCampaign(): Promise<string> {
  const id = await insertCampaign(h.db.pool, { channelId, status: 'running', content: 'hi' });
  await insertRecipients(h.db.pool, id, 3);
  // Two sent a second apart, for the timeline.
  await h.db.pool.query(
    `UPDATE campaign_recipients SET status = 'sent', sent_at = now() - (id % 2) * interval '1 second'
      WHERE id IN (SELECT id FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id LIMIT 2)`,
    [id],
  );
  return id;
}

/** Opens the list page as `key`; returns the page's CSRF token and session cookie. */
async function openPage(key: string): Promise<{ html: string; token: string; cookie: string }> {
  const res = await h.app.inject({ method: 'GET', url: '/admin', headers: { authorization: basic(key) } });
  expect(res.statusCode).toBe(200);
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(res.body)?.[1] ?? '';
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0] ?? '';
  return { html: res.body, token, cookie };
}

test('without credentials: 401 with a Basic challenge; with a Basic or Bearer key: the page, locked down', async () => {
  const anonymous = await h.app.inject({ method: 'GET', url: '/admin' });
  expect(anonymous.statusCode).toBe(401);
  expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="campaign-dispatch"/);
  expect((await h.app.inject({ method: 'GET', url: '/admin', headers: { authorization: basic('cdk_wrong') } })).statusCode).toBe(401);

  const page = await h.app.inject({ method: 'GET', url: '/admin', headers: { authorization: basic(h.keys.read) } });
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(page.headers['x-frame-options']).toBe('DENY');
  expect(page.headers['x-content-type-options']).toBe('nosniff');
  expect(page.headers['referrer-policy']).toBe('no-referrer');
  expect(page.headers['set-cookie']).toMatch(/^cd_admin_session=[\w-]{24}; Path=\/admin; HttpOnly; SameSite=Strict/);
  expect(page.body).not.toMatch(/<script>|style="/);

  const bearer = await h.app.inject({ method: 'GET', url: '/admin', headers: { authorization: `Bearer ${h.keys.read}` } });
  expect(bearer.statusCode).toBe(200);
  const script = await h.app.inject({ method: 'GET', url: '/admin/assets/dashboard.js', headers: { authorization: basic(h.keys.read) } });
  expect(script.statusCode).toBe(200);
  expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  expect(script.body).toContain('refreshList');
});

test('a read-only key sees no buttons and is refused a POST; an admin key needs the CSRF token', async () => {
  const id = await runningCampaign();
  const reader = await openPage(h.keys.read);
  expect(reader.html).toContain(`data-id="${id}"`);
  expect(reader.html).not.toContain('data-action=');
  const refused = await h.app.inject({
    method: 'POST',
    url: `/admin/campaigns/${id}/pause`,
    headers: { authorization: basic(h.keys.read), 'x-csrf-token': reader.token, cookie: reader.cookie },
  });
  expect(refused.statusCode).toBe(403);
  expect(refused.json().error.code).toBe('FORBIDDEN');

  const admin = await openPage(adminOnly);
  expect(admin.html).toContain(`data-action="pause" data-id="${id}"`);
  const post = (headers: Record<string, string>) =>
    h.app.inject({ method: 'POST', url: `/admin/campaigns/${id}/pause`, headers: { authorization: basic(adminOnly), ...headers } });

  expect((await post({})).json().error.code).toBe('CSRF_TOKEN_INVALID');
  expect((await post({ 'x-csrf-token': admin.token })).statusCode).toBe(403); // no session cookie
  expect((await post({ 'x-csrf-token': reader.token, cookie: reader.cookie })).statusCode).toBe(403); // another key's token
  expect((await h.db.pool.query('SELECT status FROM campaigns WHERE id = $1', [id])).rows[0].status).toBe('running');

  const paused = await post({ 'x-csrf-token': admin.token, cookie: admin.cookie });
  expect(paused.statusCode).toBe(200);
  expect(paused.json().status).toBe('paused');
  expect((await h.db.pool.query('SELECT status FROM campaigns WHERE id = $1', [id])).rows[0].status).toBe('paused');
  const detail = await h.app.inject({ method: 'GET', url: `/admin/campaigns/${id}`, headers: { authorization: basic(adminOnly) } });
  expect(detail.statusCode).toBe(200);
  expect(detail.body).toMatch(/data-action="resume"[^>]*>Resume/);
  expect(detail.body).toMatch(/data-action="pause"[^>]*hidden/);
});

test('the page reads the JSON API with its own credentials; the timeline counts sends per second', async () => {
  const id = await runningCampaign();
  const viaPage = await h.app.inject({ method: 'GET', url: `/admin/api/campaigns/${id}`, headers: { authorization: basic(h.keys.read) } });
  const direct = await h.request({ method: 'GET', url: `/v1/campaigns/${id}` });
  expect(viaPage.statusCode).toBe(200);
  expect(viaPage.json().counts).toEqual(direct.json().counts);

  const timeline = await h.app.inject({ method: 'GET', url: `/admin/api/campaigns/${id}/timeline?seconds=60`, headers: { authorization: basic(h.keys.read) } });
  expect(timeline.statusCode).toBe(200);
  const body = timeline.json() as { buckets: { at: string; sent: number }[] };
  expect(body.buckets.reduce((n, b) => n + b.sent, 0)).toBe(2);
  expect(body.buckets.every((b) => b.at.endsWith('.000Z'))).toBe(true);
  const missing = await h.request({ method: 'GET', url: '/v1/campaigns/00000000-0000-4000-8000-000000000000/timeline' });
  expect(missing.json().error.code).toBe('CAMPAIGN_NOT_FOUND');
});

test('GET /v1/queues reports jobs per state and the oldest waiting age per queue', async () => {
  await h.queues.launch.add('launch', { campaignId: '00000000-0000-4000-8000-000000000001' }, { jobId: 'launch-queue-health' });
  const res = await h.request({ method: 'GET', url: '/v1/queues' });
  expect(res.statusCode).toBe(200);
  const queues = res.json().queues as { name: string; counts: Record<string, number>; oldest_waiting_age_seconds: number }[];
  expect(queues.map((q) => q.name).sort()).toEqual(['campaign-launch', 'send']);
  const launch = queues.find((q) => q.name === 'campaign-launch')!;
  expect(launch.counts.waiting).toBe(1);
  expect(launch.oldest_waiting_age_seconds).toBeGreaterThanOrEqual(0);
});
