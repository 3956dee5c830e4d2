/**
 * Every API route (as the app registered them, so a new route is covered without editing this
 * file) under malformed, oversized, wrongly typed and hostile requests: hostile path ids and
 * query strings, arbitrary JSON, objects with the route's own field names holding wrong types,
 * broken JSON text and wrong content types. Never a 5xx, every error a registered code, and a
 * refused request writes nothing.
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { startYeastarSimulator, type YeastarSimulator } from '../simulators/index.js';
import { createSecurityHarness, writeCounts, type SecurityHarness } from '../integration/security/security-harness.js';
import { expectStableAnswer, hostileString, hostileValue } from './property-helpers.js';

/** Runs per route (PROP_RUNS overrides, e.g. 500 for a long hunt); ~25 routes × 30 stay under ~10 s. */
const RUNS_PER_ROUTE = 30;

let h: SecurityHarness;
let sim: YeastarSimulator;
const ids: Record<'campaigns' | 'phonebooks' | 'channels', string> = { campaigns: '', phonebooks: '', channels: '' };
/** Body field names per `METHOD /openapi/path`, from the app's own OpenAPI description. */
const bodyFields = new Map<string, string[]>();

beforeAll(async () => {
  sim = await startYeastarSimulator();
  h = await createSecurityHarness('prop_routes', { config: { apiRateLimitPerSecond: 0 } });
  const channel = await h.request({
    method: 'POST',
    url: '/v1/channels',
    payload: {
      name: 'pbx',
      provider: 'yeastar',
      kind: 'whatsapp',
      sender_id: '+15550005000',
      settings: { baseUrl: sim.url, channelType: 'whatsapp' },
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    },
  });
  ids.channels = channel.json<{ id: string }>().id;
  const campaign = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    payload: { name: 'c', channel_id: ids.channels, recipient_type: 'input', number_list: [{ number: '+14155550100' }], content_type: 'text', content: 'hi', send_type: 'draft' },
  });
  ids.campaigns = campaign.json<{ id: string }>().id;
  const phonebook = await h.request({ method: 'POST', url: '/v1/phonebooks', payload: { name: 'p' } });
  ids.phonebooks = phonebook.json<{ id: string }>().id;
  expect([channel.statusCode, campaign.statusCode, phonebook.statusCode]).toEqual([201, 201, 201]);

  const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json<{
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>;
  }>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const props = op.requestBody?.content?.['application/json']?.schema?.properties;
      if (props) bodyFields.set(`${method.toUpperCase()} ${path}`, Object.keys(props));
    }
  }
}, 60_000);

afterAll(async () => {
  await h?.close();
  await sim?.close();
});

function routes(): { method: string; url: string }[] {
  return h.app.routeInventory
    .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !r.hidden && r.url.startsWith('/v1/') && !r.url.startsWith('/v1/webhooks/'))
    .map(({ method, url }) => ({ method, url }));
}

/** Every byte of the UTF-8 form percent-encoded (lone surrogates become U+FFFD, as on the wire). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

function requestFor(method: string, url: string): fc.Arbitrary<InjectOptions> {
  const family = (/^\/v1\/(campaigns|phonebooks|channels)\//.exec(url)?.[1] ?? 'campaigns') as keyof typeof ids;
  const id = fc.oneof(fc.constant(ids[family]), fc.uuid(), hostileString.filter((s) => s !== '').map(percentEncode));
  const query = fc.dictionary(fc.oneof(fc.constantFrom('limit', 'cursor', 'status', 'delimiter', 'page', 'page_size', 'after'), hostileString), hostileString, { maxKeys: 3 });
  const fields = bodyFields.get(`${method} ${url.replace(/:(\w+)/g, '{$1}')}`) ?? [];
  const typedWrong = fields.length
    ? fc.subarray(fields).chain((keys) => fc.tuple(...keys.map(() => hostileValue)).map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))))
    : fc.constant({});
  const body = fc.oneof(
    hostileValue.map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' })),
    typedWrong.map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })),
    fc.record({
      payload: fc.oneof(hostileString, fc.constantFrom('{', '{"a":', '[1,]', '{"a":1}{"b":2}', '\uFEFF{}', '{"__proto__":{"x":1}}', 'number\n+14155550123\n')),
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-16',
        'text/csv',
        'text/plain',
        'multipart/form-data',
        'multipart/form-data; boundary=xyz',
        'application/x-www-form-urlencoded',
        'application/xml',
        '',
      ),
    }),
  );
  return fc.record({ id, query, body }).map(({ id: pathId, query: q, body: b }) => {
    const search = new URLSearchParams(q).toString();
    const path = url.replace(/:(\w+)/g, pathId);
    const headers: Record<string, string> = b.contentType === '' ? {} : { 'content-type': b.contentType };
    return { method: method as InjectOptions['method'], url: search ? `${path}?${search}` : path, payload: b.payload, headers };
  });
}

it('covers every route, and every route answers hostile requests without a 5xx or a write', async () => {
  const list = routes();
  expect(list.length).toBeGreaterThanOrEqual(15);
  let last = await writeCounts(h.db);
  const failures: string[] = [];
  for (const route of list) {
    try {
    await fc.assert(
      fc.asyncProperty(requestFor(route.method, route.url), async (options) => {
        const res = await h.request(options);
        expectStableAnswer(res, { route, options: { ...options, payload: String(options.payload).slice(0, 300) } });
        const now = await writeCounts(h.db);
        if (res.statusCode >= 400 && JSON.stringify(now) !== JSON.stringify(last)) {
          throw new Error(`refused ${route.method} ${route.url} (${res.statusCode} ${res.body.slice(0, 200)}) still wrote: ${JSON.stringify(last)} → ${JSON.stringify(now)}`);
        }
        last = now;
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? RUNS_PER_ROUTE) },
    );
    } catch (err) {
      failures.push(`${route.method} ${route.url}: ${String((err as Error).message).slice(0, 1500)}`);
      last = await writeCounts(h.db);
    }
  }
  expect(failures).toEqual([]);
}, 120_000);
