/**
 * Provider credentials at rest (encrypted, never returned, never logged, still usable by the
 * webhook signature check and the provider calls) and the webhook replay guards.
 */
import { decryptCredentials, isEncryptedCredentials } from '../../../src/security/credentials.js';
import { reencryptChannelCredentials } from '../../../src/security/reencrypt-credentials.js';
import { createKeyring } from '../../../src/security/keyring.js';
import { signBody } from '../../../src/webhooks/signature.js';
import { createChannelSecrets } from '../../../src/webhooks/channel-secrets.js';
import { WEBHOOK_BODY_LIMIT_BYTES } from '../../../src/webhooks/webhook-routes.js';
import { createSecurityHarness, writeCounts, type SecurityHarness } from './security-harness.js';

const CLIENT_SECRET = 'yeastar-client-secret-9f3e2a';
const API_KEY = 'connectly-api-key-7c1d44';
const WEBHOOK_SECRET = 'connectly-webhook-secret-5b8e19';

let h: SecurityHarness;
let connectly: string;
let replayChannel: string;

beforeAll(async () => {
  h = await createSecurityHarness('sec_cred');
  const res = await h.request({
    method: 'POST',
    url: '/v1/channels',
    payload: {
      name: 'c',
      provider: 'connectly',
      kind: 'whatsapp',
      sender_id: '+15550001000',
      settings: { businessId: 'biz' },
      credentials: { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET },
    },
  });
  expect(res.statusCode).toBe(201);
  connectly = res.json<{ id: string }>().id;
  const replay = await h.request({
    method: 'POST',
    url: '/v1/channels',
    payload: { name: 'r', provider: 'connectly', kind: 'whatsapp', sender_id: '+15550003000', settings: { businessId: 'b2' }, credentials: { apiKey: 'k', webhookSecret: WEBHOOK_SECRET } },
  });
  replayChannel = replay.json<{ id: string }>().id;
}, 60_000);
afterAll(async () => h?.close());

async function storedCredentials(id: string): Promise<{ json: unknown; text: string }> {
  const { rows } = await h.db.pool.query<{ credentials: unknown; text: string }>(`SELECT credentials, credentials::text AS text FROM channels WHERE id = $1`, [id]);
  return { json: rows[0]?.credentials, text: rows[0]?.text ?? '' };
}

function connectlyPost(body: unknown, options: { secret?: string; channelId?: string } = {}) {
  const payload = JSON.stringify(body);
  const secret = options.secret ?? WEBHOOK_SECRET;
  return h.app.inject({
    method: 'POST',
    url: `/v1/webhooks/connectly/${options.channelId ?? connectly}`,
    payload,
    headers: { 'content-type': 'application/json', 'x-connectly-hmac-sha256': signBody(payload, secret) },
  });
}

const inbound = (number: string, text: string, at: Date) => ({ timestamp: at.toISOString(), sender: { id: number }, recipient: { id: '+15550001000' }, message: { text } });

describe('webhook replay guards', () => {
  it('refuses a Connectly event stamped outside the window with 400 WEBHOOK_STALE, changing nothing', async () => {
    const before = await writeCounts(h.db);
    const windowMs = h.config.webhookMaxAgeSeconds * 1000;
    for (const at of [new Date(Date.now() - windowMs - 60_000), new Date(Date.now() + windowMs + 60_000), new Date('2001-01-01T00:00:00Z')]) {
      const res = await connectlyPost(inbound('+14155550310', 'STOP', at), { channelId: replayChannel });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'WEBHOOK_STALE' } });
    }
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('a body replayed inside the window is acknowledged but not applied again', async () => {
    const number = '+14155550311';
    const start = inbound(number, 'START', new Date());
    const stop = inbound(number, 'STOP', new Date(Date.now() + 1000));
    await h.db.pool.query(`INSERT INTO suppressions (channel_id, number, reason) VALUES ($1, $2, 'opt_out:STOP')`, [replayChannel, number]);
    expect((await connectlyPost(start, { channelId: replayChannel })).statusCode).toBe(200); // lifts the suppression
    expect((await connectlyPost(stop, { channelId: replayChannel })).statusCode).toBe(200); // suppresses again
    const replay = await connectlyPost(start, { channelId: replayChannel }); // the captured START, sent again
    expect(replay.statusCode).toBe(200);
    const { rows } = await h.db.pool.query(`SELECT 1 FROM suppressions WHERE channel_id = $1 AND number = $2`, [replayChannel, number]);
    expect(rows).toHaveLength(1);
  });

  it('refuses bodies above 1 MiB with 413 before reading them as JSON', async () => {
    const payload = JSON.stringify({ pad: 'x'.repeat(WEBHOOK_BODY_LIMIT_BYTES) });
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/webhooks/connectly/${replayChannel}`,
      payload,
      headers: { 'content-type': 'application/json', 'x-connectly-hmac-sha256': signBody(payload, WEBHOOK_SECRET) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});

describe('credentials at rest', () => {
  it('are stored as an AES-GCM envelope, with no secret in the row', async () => {
    const stored = await storedCredentials(connectly);
    expect(isEncryptedCredentials(stored.json)).toBe(true);
    for (const secret of [API_KEY, WEBHOOK_SECRET, 'apiKey', 'webhookSecret']) expect(stored.text).not.toContain(secret);
    expect(decryptCredentials(stored.json, h.config.credentialsKeyring)).toEqual({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
  });

  it('are never in an API answer or a log line', async () => {
    const list = await h.request({ method: 'GET', url: '/v1/channels' });
    expect(list.statusCode).toBe(200);
    for (const secret of [API_KEY, WEBHOOK_SECRET, CLIENT_SECRET]) {
      expect(list.body).not.toContain(secret);
      expect(h.logText()).not.toContain(secret);
    }
    expect(list.body).not.toContain('credentials');
  });

  it('still authenticate webhooks: the decrypted webhookSecret verifies signatures', async () => {
    const ok = await connectlyPost(inbound('+14155550301', 'hello', new Date()));
    expect(ok.statusCode).toBe(200);
    const forged = await connectlyPost(inbound('+14155550302', 'hello', new Date()), { secret: 'not-the-secret-at-all' });
    expect(forged.statusCode).toBe(401);
  });

  it('legacy plaintext rows keep working, and re-encryption rotates every row to the current key', async () => {
    const { rows } = await h.db.pool.query<{ id: string }>(
      `INSERT INTO channels (name, provider, kind, sender_id, settings, credentials)
       VALUES ('legacy', 'yeastar', 'sms', '+15550002000', '{"baseUrl":"http://127.0.0.1:9/openapi/v1.0","channelType":"twilio"}',
               $1::jsonb) RETURNING id::text AS id`,
      [JSON.stringify({ clientId: 'cid', clientSecret: CLIENT_SECRET, webhookSecret: 'legacy-webhook-secret-123' })],
    );
    const legacy = rows[0]!.id;
    const payload = JSON.stringify({ type: 30031, sn: 'SN', msg: { sender: { number: '+14155550303' }, msg_body: 'hi' } });
    const signed = (body: string) =>
      h.app.inject({ method: 'POST', url: `/v1/webhooks/yeastar/${legacy}`, payload: body, headers: { 'content-type': 'application/json', 'x-signature': signBody(body, 'legacy-webhook-secret-123') } });
    expect((await signed(payload)).statusCode).toBe(200);

    // Rotate: a new current key, the old one kept for reading.
    const oldKeyring = h.config.credentialsKeyring;
    const newKeyring = createKeyring([
      { id: 'k2', key: Buffer.alloc(32, 7) },
      ...oldKeyring.ids.map((id) => ({ id, key: oldKeyring.key(id)! })),
    ]);
    const result = await reencryptChannelCredentials(h.db.prisma, newKeyring);
    // Every channel of the file: this one, `connectly` and the replay guard's.
    expect(result).toMatchObject({ rewritten: 3, skipped: 0, unreadable: [] });
    for (const id of [legacy, connectly]) {
      const stored = await storedCredentials(id);
      expect(stored.json).toMatchObject({ $encrypted: expect.stringMatching(/^v1:k2:/) });
      expect(stored.text).not.toContain(CLIENT_SECRET);
    }
    expect(decryptCredentials((await storedCredentials(legacy)).json, newKeyring)).toMatchObject({ clientSecret: CLIENT_SECRET });
    // Running it again changes nothing.
    expect(await reencryptChannelCredentials(h.db.prisma, newKeyring)).toMatchObject({ rewritten: 0, unchanged: 3 });
    // The app's keyring does not know k2: such channels get no webhook secret (their webhooks are
    // refused with 401 once the 30 s secrets cache expires) and are reported, not crashed on.
    const unreadable: string[] = [];
    const secrets = createChannelSecrets({ pool: h.db.pool, now: () => new Date(), keyring: h.config.credentialsKeyring, onUnreadable: (id) => unreadable.push(id) });
    expect(await secrets.list('yeastar')).toEqual([{ id: legacy, provider: 'yeastar', secret: '' }]);
    expect(unreadable).toEqual([legacy]);
    expect(h.logText()).not.toContain(CLIENT_SECRET);
  });
});

