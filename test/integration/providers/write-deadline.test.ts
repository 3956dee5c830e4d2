/**
 * A send through a write gate (SendOptions.gate) is held at its socket until the gate answers, and
 * goes out by the deadline it answers or not at all — through the registry's clients, as the send
 * step calls them, against the simulators: while the gate is pending the simulator has seen
 * nothing; a closed gate or a passed deadline never reaches the provider (no request recorded), on
 * a new connection and on a kept-alive one alike, and the error says nothing was sent.
 */
import { createProviderRegistry, type ProviderRegistry } from '../../../src/providers/registry.js';
import type { ChannelSpec, OutboundMessage } from '../../../src/providers/types.js';
import { createMemorySharedStore } from '../../fixtures/memory-shared-store.js';
import { testLogger } from '../../fixtures/test-logger.js';
import { startConnectlySimulator, startYeastarSimulator, type ConnectlySimulator, type YeastarSimulator } from '../../simulators/index.js';
import { providerFailure } from '../../fixtures/provider-failure.js';

let connectly: ConnectlySimulator;
let yeastar: YeastarSimulator;
let registry: ProviderRegistry;

const text = (key: string): OutboundMessage => ({ idempotencyKey: key, to: '+16044441111', content: { kind: 'text', text: 'hello' } });

/** A gate that answers `deadline()` when called (the deadline is computed at answer time). */
const at = (deadline: () => number | null) => async (): Promise<number | null> => deadline();
const past = at(() => Date.now() - 1);
const future = at(() => Date.now() + 5_000);

const failure = providerFailure;

beforeAll(async () => {
  connectly = await startConnectlySimulator();
  yeastar = await startYeastarSimulator();
  registry = createProviderRegistry({ store: createMemorySharedStore(), userAgent: 'cd-test/1', log: testLogger() });
});
afterAll(async () => {
  await registry.close();
  await connectly.close();
  await yeastar.close();
});

function connectlyChannel(): ChannelSpec {
  return {
    id: 'wd-c',
    provider: 'connectly',
    kind: 'sms',
    senderId: '+14151111234',
    settings: { businessId: connectly.businessId, baseUrl: connectly.url },
    credentials: { apiKey: connectly.apiKey },
  };
}

function yeastarChannel(): ChannelSpec {
  return {
    id: 'wd-y',
    provider: 'yeastar',
    kind: 'sms',
    senderId: '+14151111235',
    settings: { baseUrl: yeastar.url, channelType: 'twilio' },
    credentials: { clientId: yeastar.clientId, clientSecret: yeastar.clientSecret },
  };
}

describe('write deadline', () => {
  it('Connectly: a passed deadline sends nothing, on a new and on a kept-alive connection; a future one sends', async () => {
    const client = registry.clientFor(connectlyChannel());

    const onNewSocket = await failure(client.send(text('wd-1'), { gate: past }));
    expect(onNewSocket).toMatchObject({ notSent: true, errorClass: 'retryable', providerCode: 'WRITE_DEADLINE_MISSED' });
    expect(connectly.requests).toHaveLength(0);

    const sent = await client.send(text('wd-2'), { gate: future });
    expect(connectly.acceptedSends().map((s) => s.idempotencyKey)).toEqual(['wd-2']);
    expect(sent.providerMessageId).toBeTruthy();

    // The connection of wd-2 is kept alive: the next request would reuse it.
    const onKeptAlive = await failure(client.send(text('wd-3'), { gate: past }));
    expect(onKeptAlive.notSent).toBe(true);
    expect(connectly.requests).toHaveLength(1);

    // Without a gate, as before.
    await client.send(text('wd-4'));
    expect(connectly.acceptedSends().map((s) => s.idempotencyKey)).toEqual(['wd-2', 'wd-4']);
  });

  it('holds the bytes until the gate answers; a closed gate or a failing one sends nothing', async () => {
    const client = registry.clientFor(connectlyChannel());
    const before = connectly.requests.length;
    let open!: (deadline: number | null) => void;
    let asked = 0;
    const held = client.send(text('wd-6'), {
      gate: () => {
        asked++;
        return new Promise<number | null>((resolve) => (open = resolve));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(asked).toBe(1);
    expect(connectly.requests).toHaveLength(before); // made, held at the socket, not written
    open(Date.now() + 5_000);
    await held;
    expect(connectly.acceptedSends().at(-1)?.idempotencyKey).toBe('wd-6');

    const closed = await failure(client.send(text('wd-7'), { gate: at(() => null) }));
    expect(closed).toMatchObject({ notSent: true, providerCode: 'WRITE_GATE_CLOSED' });
    const broken = await failure(client.send(text('wd-8'), { gate: () => Promise.reject(new Error('redis down')) }));
    expect(broken).toMatchObject({ notSent: true, providerCode: 'WRITE_GATE_CLOSED' });
    expect(broken.message).toContain('redis down');
    expect(connectly.requests).toHaveLength(before + 1);
  });

  it('Yeastar: the deadline holds the message request; the token request before it is not held', async () => {
    const client = registry.clientFor(yeastarChannel());
    const missed = await failure(client.send(text('wd-y1'), { gate: past }));
    expect(missed.notSent).toBe(true);
    expect(yeastar.acceptedSends()).toHaveLength(0);
    expect(yeastar.requests.some((r) => r.path.endsWith('/message/send'))).toBe(false);

    await client.send(text('wd-y2'), { gate: future });
    expect(yeastar.acceptedSends().map((s) => s.idempotencyKey)).toEqual(['wd-y2']);
  });

  it('a request that cannot be written is an ordinary network failure, not a missed deadline', async () => {
    const client = registry.clientFor({ ...connectlyChannel(), id: 'wd-dead', settings: { businessId: 'b', baseUrl: 'http://127.0.0.1:9' } });
    const err = await failure(client.send(text('wd-5'), { gate: future }));
    expect(err).toMatchObject({ notSent: false, errorClass: 'retryable', providerCode: 'ECONNREFUSED' });
  });
});
