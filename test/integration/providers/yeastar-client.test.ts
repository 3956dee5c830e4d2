/** The Yeastar client against the Yeastar simulator, with the token shared through real Redis. */
import { createYeastarClient, type YeastarClient } from '../../../src/providers/yeastar/client.js';
import { yeastarTokenKey } from '../../../src/providers/yeastar/token-manager.js';
import type { ChannelSpec, OutboundMessage, SharedStore, TemplateMessage } from '../../../src/providers/types.js';
import { createRedisSharedStore } from '../../../src/queue/redis-shared-store.js';
import { loadSeed } from '../../fixtures/seeds/load.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
import { providerFailure } from '../../fixtures/provider-failure.js';

const log = testLogger();
let redis: TestRedis;
let sim: YeastarSimulator;
let store: SharedStore;
const clients: YeastarClient[] = [];
let storeCount = 0;

function channel(channelType: string, overrides: Partial<ChannelSpec> = {}): ChannelSpec {
  return {
    id: `y-${channelType}`,
    provider: 'yeastar',
    kind: channelType === 'whatsapp' ? 'whatsapp' : channelType === 'facebook' ? 'facebook' : 'sms',
    senderId: '+15550100',
    settings: { baseUrl: sim.url, channelType },
    credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    ...overrides,
  };
}

function client(channelType = 'general', options: { store?: SharedStore; timeouts?: { response: number } } = {}): YeastarClient {
  const c = createYeastarClient({ channel: channel(channelType), store: options.store ?? store, userAgent: 'cd-test/1', log, timeouts: options.timeouts });
  clients.push(c);
  return c;
}

/** A store on a fresh prefix: a fleet that has no token yet. */
function freshStore(): SharedStore {
  return createRedisSharedStore(redis.redis, `${redis.prefix}:s${++storeCount}:`);
}

const text = (key: string, to = '+15550199', body = 'hello'): OutboundMessage => ({ idempotencyKey: key, to, content: { kind: 'text', text: body } });
const tokenRequests = (path: string): number => sim.requests.filter((r) => r.path.endsWith(path)).length;

const failure = providerFailure;

beforeAll(async () => {
  redis = await createTestRedis('yeastar');
  sim = await startYeastarSimulator();
  store = freshStore();
});
beforeEach(() => sim.reset());
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
  await redis.close();
});

describe('yeastar client sends', () => {
  it('text on an SMS trunk', async () => {
    const result = await client().send(text('k-text'));
    expect(result).toEqual({ providerMessageId: expect.stringMatching(/^\d+$/), sessionId: expect.any(String) });
    const [accepted] = sim.acceptedSends();
    expect(accepted).toMatchObject({ to: '+15550199', idempotencyKey: 'k-text', messageId: result.providerMessageId, kind: 'session' });
    expect(accepted!.body).toEqual({
      sender_type: 9,
      channel: 'general',
      did_number: '+15550100',
      to: '+15550199',
      msg_kind: 0,
      msg_type: 0,
      msg_body: 'hello',
      request_id: 'k-text',
    });
    const sendRequest = sim.requests.find((r) => r.path.endsWith('/message/send'))!;
    expect(sendRequest.headers['user-agent']).toBe('cd-test/1');
    expect(sendRequest.query.access_token).toBe('[redacted]');
  });

  it('a document with a caption', async () => {
    const file = { id: 'f1', name: 'menu.pdf', uri: '20250725/f1', type: 'application/pdf', size: 10 };
    await client().send({ idempotencyKey: 'k-doc', to: '+15550199', content: { kind: 'document', file, caption: 'Our menu' } });
    expect(sim.acceptedSends()[0]!.body).toMatchObject({ files: [file], msg_body: 'Our menu', msg_kind: 0 });
  });

  it('a WhatsApp template outside any window', async () => {
    const template = loadSeed<TemplateMessage>('yeastar-template-message');
    await client('whatsapp').send({ idempotencyKey: 'k-tpl', to: '+14155552671', content: { kind: 'template', template } });
    expect(sim.acceptedSends()[0]).toMatchObject({ kind: 'template', body: { msg_kind: 1, whatsapp_msg_param: JSON.stringify(template) } });
  });

  it('a WhatsApp session message inside the window; window_closed outside it', async () => {
    const c = client('whatsapp');
    sim.recordInbound('+15550111');
    await expect(c.send(text('k-in', '+15550111'))).resolves.toHaveProperty('providerMessageId');
    const err = await failure(c.send(text('k-out', '+15550112')));
    expect(err).toMatchObject({ errorClass: 'window_closed', code: 'PROVIDER_WINDOW_CLOSED', providerCode: 'exceeds_time_limit' });
    expect(sim.acceptedSends()).toHaveLength(1);
  });

  it('a tagged Facebook message outside the window', async () => {
    await client('facebook').send({ ...text('k-fb', '+15550113'), tag: 'ACCOUNT_UPDATE' });
    expect(sim.acceptedSends()[0]!.body).toMatchObject({ channel: 'facebook', tag: 'ACCOUNT_UPDATE' });
  });
});

describe('yeastar token sharing', () => {
  it('two clients on one store fetch one token between them', async () => {
    const shared = freshStore();
    const before = tokenRequests('/get_token');
    const liveBefore = sim.liveTokens();
    const a = client('general', { store: shared });
    const b = client('general', { store: shared });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).send(text(`share-${i}`))));
    expect(tokenRequests('/get_token') - before).toBe(1);
    expect(sim.liveTokens() - liveBefore).toBe(1);
    expect(sim.acceptedSends()).toHaveLength(20);
    expect(sim.peakLiveTokens()).toBeLessThanOrEqual(8);
  });

  it('tokens expiring mid-sequence cost no failed sends', async () => {
    const shared = freshStore();
    const a = client('general', { store: shared });
    const b = client('general', { store: shared });
    await a.send(text('exp-0'));
    sim.expireTokens();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).send(text(`exp-${i + 1}`))));
    sim.expireTokens();
    await b.send(text('exp-11'));
    expect(sim.acceptedSends()).toHaveLength(12);
    expect(sim.requests.filter((r) => r.response && (r.response as { errcode?: number }).errcode === 10004).length).toBeGreaterThan(0);
    expect(tokenRequests('/refresh_token')).toBe(2);
    // Every other token was expired too: the fleet holds exactly one.
    expect(sim.liveTokens()).toBe(1);
  });

  it('refreshes ahead of expiry, before the PBX ever rejects the token', async () => {
    const shared = freshStore();
    let now = Date.now();
    const c = createYeastarClient({ channel: channel('general'), store: shared, userAgent: 'cd-test/1', log, clock: () => now });
    clients.push(c);
    await c.send(text('ahead-0'));
    const refreshesBefore = tokenRequests('/refresh_token');
    now += 26 * 60_000; // 4 minutes left of 30: inside the 5-minute refresh margin
    await c.send(text('ahead-1'));
    expect(tokenRequests('/refresh_token') - refreshesBefore).toBe(1);
    expect(sim.requests.some((r) => (r.response as { errcode?: number } | undefined)?.errcode === 10004)).toBe(false);
  });

  it('falls back to get_token when refresh_token is refused', async () => {
    const shared = freshStore();
    const c = client('general', { store: shared });
    await c.send(text('fallback-0'));
    const key = yeastarTokenKey(sim.url, sim.clientId);
    const stored = JSON.parse((await shared.get(key))!) as Record<string, unknown>;
    await shared.set(key, JSON.stringify({ ...stored, refreshToken: 'revoked' }), 60_000);
    sim.expireTokens();
    const getTokensBefore = tokenRequests('/get_token');
    await c.send(text('fallback-1'));
    expect(tokenRequests('/get_token') - getTokensBefore).toBe(1);
    expect(sim.requests.filter((r) => r.path.endsWith('/refresh_token')).at(-1)!.response).toMatchObject({ errcode: -1 });
    expect(sim.acceptedSends()).toHaveLength(2);
  });

  it('keeps the token out of errors', async () => {
    const shared = freshStore();
    const c = client('general', { store: shared, timeouts: { response: 200 } });
    await c.send(text('secret-0'));
    const stored = JSON.parse((await shared.get(yeastarTokenKey(sim.url, sim.clientId)))!) as { accessToken: string };
    sim.faults.hangNext(1);
    const err = await failure(c.send(text('secret-1')));
    expect(err.errorClass).toBe('retryable');
    const everything = `${err.message} ${String((err.cause as Error).message)} ${JSON.stringify(err)}`;
    expect(everything).not.toContain(stored.accessToken);
  });

  it('wrong credentials are an auth error', async () => {
    const c = createYeastarClient({
      channel: channel('general', { credentials: { clientId: sim.clientId, clientSecret: 'wrong' } }),
      store: freshStore(),
      userAgent: 'cd-test/1',
      log,
    });
    clients.push(c);
    expect(await failure(c.send(text('bad-creds')))).toMatchObject({ errorClass: 'auth', providerCode: '-1' });
  });
});

describe('yeastar failures', () => {
  it('429 with Retry-After is rate_limited with retryAfterMs', async () => {
    sim.faults.failNext(1, { status: 429, retryAfterSeconds: 3 });
    expect(await failure(client().send(text('rl')))).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 3000, retryable: true });
  });

  it('5xx is retryable', async () => {
    sim.faults.failNext(1, { status: 503 });
    expect(await failure(client().send(text('5xx')))).toMatchObject({ errorClass: 'retryable', httpStatus_: 503 });
  });

  it("failNumber's provider error is permanent with the provider's code", async () => {
    sim.faults.failNumber('+15550666', {
      body: { errcode: 40002, errmsg: 'PARAMETER ERROR', invalid_param_list: [{ field: 'to', validation_type: 'invalid' }] },
    });
    const err = await failure(client().send(text('fn', '+15550666')));
    expect(err).toMatchObject({ errorClass: 'permanent', providerCode: '40002', field: 'to' });
  });

  it('a hanging request times out as retryable', async () => {
    sim.faults.hangNext(1);
    const err = await failure(client('general', { timeouts: { response: 200 } }).send(text('hang')));
    expect(err).toMatchObject({ errorClass: 'retryable', providerCode: 'ETIMEDOUT' });
  });

  it('a repeated idempotency key is one accepted send and one duplicate', async () => {
    const c = client();
    const first = await c.send(text('dup'));
    const second = await c.send(text('dup'));
    expect(second).toEqual(first);
    expect(sim.acceptedSends()).toHaveLength(1);
    expect(sim.duplicateSends()).toBe(1);
  });
});
