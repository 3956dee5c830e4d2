/** The Connectly client against the Connectly simulator. */
import { createConnectlyClient, type ConnectlyClient } from '../../../src/providers/connectly/client.js';
import type { ProviderError } from '../../../src/providers/provider-error.js';
import type { ChannelKind, ChannelSpec, OutboundMessage } from '../../../src/providers/types.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { startConnectlySimulator, type ConnectlySimulator } from '../../simulators/index.js';
import { providerFailure } from '../../fixtures/provider-failure.js';

const log = testLogger();
let sim: ConnectlySimulator;
const clients: ConnectlyClient[] = [];

function client(kind: ChannelKind = 'sms', options: { target?: ConnectlySimulator; apiKey?: string; timeouts?: { response: number } } = {}): ConnectlyClient {
  const target = options.target ?? sim;
  const channel: ChannelSpec = {
    id: `c-${kind}`,
    provider: 'connectly',
    kind,
    senderId: '+14151111234',
    settings: { businessId: target.businessId, baseUrl: target.url },
    credentials: { apiKey: options.apiKey ?? target.apiKey },
  };
  const c = createConnectlyClient({ channel, userAgent: 'cd-test/1', log, timeouts: options.timeouts });
  clients.push(c);
  return c;
}

const text = (key: string, to = '+16044441111'): OutboundMessage => ({ idempotencyKey: key, to, content: { kind: 'text', text: 'hello' } });

const failure = providerFailure;

beforeAll(async () => {
  sim = await startConnectlySimulator();
});
beforeEach(() => sim.reset());
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});

describe('connectly client sends', () => {
  it('text over SMS, with the API key and our idempotency key as message.id', async () => {
    const result = await client().send({ ...text('k-text'), campaignName: 'spring' });
    expect(result.providerMessageId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(sim.acceptedSends()[0]).toMatchObject({ to: '+16044441111', idempotencyKey: 'k-text', messageId: result.providerMessageId, kind: 'session' });
    expect(sim.acceptedSends()[0]!.body).toEqual({
      sender: { id: '+14151111234', channelType: 'sms' },
      recipient: { id: '+16044441111', channelType: 'sms' },
      message: { id: 'k-text', text: 'hello' },
      campaignName: 'spring',
    });
    expect(sim.requests[0]!.headers['x-api-key']).toBe(sim.apiKey);
    expect(sim.requests[0]!.headers['user-agent']).toBe('cd-test/1');
  });

  it('a document on WhatsApp inside the window', async () => {
    sim.recordInbound('+16044441112');
    await client('whatsapp').send({
      idempotencyKey: 'k-doc',
      to: '+16044441112',
      content: { kind: 'document', file: { uri: 'https://example.com/menu.pdf', name: 'menu.pdf' }, caption: 'Menu' },
    });
    expect(sim.acceptedSends()[0]!.body).toMatchObject({
      message: { attachments: [{ type: 'document', url: 'https://example.com/menu.pdf', filename: 'menu.pdf', caption: 'Menu' }] },
    });
  });

  it('a template, outside any window', async () => {
    await client('whatsapp').send({
      idempotencyKey: 'k-tpl',
      to: '+16044441113',
      content: {
        kind: 'template',
        template: {
          name: 'order_update',
          language: { code: 'en' },
          parameter_format: 'POSITIONAL',
          components: [{ type: 'BODY', parameters: [{ type: 'TEXT', text: 'Ada' }, { type: 'TEXT', text: '#42' }] }],
        },
      },
    });
    expect(sim.acceptedSends()[0]).toMatchObject({ kind: 'template', idempotencyKey: 'k-tpl', body: { templateName: 'order_update', callbackData: 'k-tpl' } });
  });

  it('a template with the wrong parameter count is permanent', async () => {
    const err = await failure(
      client('whatsapp').send({
        idempotencyKey: 'k-tpl-bad',
        to: '+16044441113',
        content: { kind: 'template', template: { name: 'order_update', language: { code: 'en' }, components: [] } },
      }),
    );
    expect(err).toMatchObject({ errorClass: 'permanent', providerCode: 'ERROR_CODE_TEMPLATE_INPUT_INVALID' });
  });
});

describe('connectly failures', () => {
  it('a WhatsApp session message outside the window is window_closed, not a timeout', async () => {
    const err = await failure(client('whatsapp').send(text('k-closed', '+16044441199')));
    expect(err).toMatchObject({ errorClass: 'window_closed', providerCode: 'ERROR_CODE_MESSAGE_OUTSIDE_OF_ELIGIBILITY_WINDOW', retryable: false });
  });

  it('429 with Retry-After is rate_limited with retryAfterMs', async () => {
    sim.faults.failNext(1, { status: 429, retryAfterSeconds: 2 });
    expect(await failure(client().send(text('rl')))).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 2000 });
  });

  it('the per-second limit answers 429 + Retry-After above it', async () => {
    const limited = await startConnectlySimulator({ rateLimitPerSecond: 1 });
    try {
      const c = client('sms', { target: limited });
      const settled = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => c.send(text(`burst-${i}`))));
      const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as ProviderError);
      // At most one per second gets through; six at once span at most two seconds.
      expect(rejected.length).toBeGreaterThanOrEqual(4);
      expect(rejected.every((e) => e.errorClass === 'rate_limited' && e.retryAfterMs === 1000)).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('5xx is retryable', async () => {
    sim.faults.failNext(1, { status: 500 });
    expect(await failure(client().send(text('5xx')))).toMatchObject({ errorClass: 'retryable', httpStatus_: 500 });
  });

  it("failNumber's provider error is permanent with the provider's code; opted-out is flagged", async () => {
    sim.faults.failNumber('+16044440001', { body: { message: 'bad', type: 'ERROR_TYPE_INVALID_REQUEST', code: 'ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID' } });
    sim.faults.failNumber('+16044440002', { body: { message: 'opted out', type: 'ERROR_TYPE_INVALID_REQUEST', code: 'ERROR_CODE_CUSTOMER_OPTED_OUT' } });
    const c = client();
    expect(await failure(c.send(text('fn-1', '+16044440001')))).toMatchObject({ errorClass: 'permanent', providerCode: 'ERROR_CODE_MESSAGE_PHONE_NUMBER_INVALID' });
    expect(await failure(c.send(text('fn-2', '+16044440002')))).toMatchObject({ errorClass: 'permanent', optedOut: true });
  });

  it('a wrong API key is auth, and the key is not in the error', async () => {
    const err = await failure(client('sms', { apiKey: 'wrong-key-123' }).send(text('auth')));
    expect(err).toMatchObject({ errorClass: 'auth', httpStatus_: 401 });
    expect(JSON.stringify(err) + err.message).not.toContain('wrong-key-123');
  });

  it('a hanging request times out as retryable', async () => {
    sim.faults.hangNext(1);
    expect(await failure(client('sms', { timeouts: { response: 200 } }).send(text('hang')))).toMatchObject({
      errorClass: 'retryable',
      providerCode: 'ETIMEDOUT',
    });
  });

  it('a repeated idempotency key is one accepted send and one duplicate', async () => {
    const c = client();
    const first = await c.send(text('dup'));
    expect(await c.send(text('dup'))).toEqual(first);
    expect(sim.acceptedSends()).toHaveLength(1);
    expect(sim.duplicateSends()).toBe(1);
  });
});
