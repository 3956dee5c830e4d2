/**
 * Campaign bodies as people actually fill them in: phone numbers in every format typed in the wild,
 * template variables with quotes, emoji and very long values, and timestamps of any size.
 * A campaign is created whole (numbers normalised to E.164, variables stored exactly) or refused
 * with a stable code and nothing written.
 */
import fc from 'fast-check';
import { createSecurityHarness, writeCounts, type SecurityHarness } from '../integration/security/security-harness.js';
import { expectStableAnswer, hostileString } from './property-helpers.js';

let h: SecurityHarness;
let channelId: string;

beforeAll(async () => {
  h = await createSecurityHarness('prop_campaign', { config: { apiRateLimitPerSecond: 0 } });
  const res = await h.request({
    method: 'POST',
    url: '/v1/channels',
    payload: { name: 'sms', provider: 'connectly', kind: 'sms', sender_id: '+15550006000', settings: { businessId: 'b' }, credentials: { apiKey: 'k' } },
  });
  channelId = res.json<{ id: string }>().id;
}, 60_000);
afterAll(async () => h?.close());

const E164 = /^\+[1-9]\d{1,14}$/;

/** A real number (country code, national number, its E.164 form) and ways people write it. */
const REAL = [
  { cc: '1', national: ['415', '555', '0132'] },
  { cc: '44', national: ['20', '7946', '0958'] },
  { cc: '49', national: ['30', '901820', '12'] },
  { cc: '86', national: ['138', '0013', '8000'] },
  { cc: '33', national: ['1', '42', '68', '53', '00'] },
];
const typedNumber = fc.record({
  real: fc.constantFrom(...REAL),
  prefix: fc.constantFrom('+', '00', '+ ', '(+'),
  separator: fc.constantFrom(' ', '-', '.', '', ' - ', '/', '\u00A0', '\u2009'),
  padding: fc.constantFrom('', ' ', '\t', '\n'),
}).map(({ real, prefix, separator, padding }) => {
  const cc = prefix === '(+' ? `(+${real.cc})` : `${prefix}${real.cc}`;
  return { text: `${padding}${cc}${separator}${real.national.join(separator)}${padding}`, e164: `+${real.cc}${real.national.join('')}` };
});
/** Things that are not one valid number. */
const junkNumber = fc.oneof(
  hostileString,
  fc.constantFrom('tel:+1-415-555-0132', '+1 800 FLOWERS', '+999 123', '12', '+', '++14155550132', '+1 415 555 0132 x12', '٠١٢٣٤٥٦٧٨٩', '＋１４１５５５５０１３２', '+1\u200B4155550132', '+4415550132'),
  fc.stringMatching(/^\+?[0-9 ()\-.]{0,25}$/),
);

const variables = fc.dictionary(
  fc.oneof(fc.constantFrom('name', 'first name', 'naïve', '😀', 'a"b', "o'k", 'x'.repeat(200)), fc.string({ minLength: 1, maxLength: 10 })),
  fc.oneof(hostileString, fc.constantFrom('He said "hi"', "it's", 'emoji 🎉🇧🇪', '\\"escaped\\"', '{{name}}'), fc.integer({ min: 10_000, max: 100_000 }).map((n) => 'é'.repeat(n))),
  { maxKeys: 4 },
);

async function recipientsOf(campaignId: string): Promise<{ number: string; variables: unknown }[]> {
  const { rows } = await h.db.pool.query<{ number: string; variables: unknown }>(`SELECT number, variables FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id`, [campaignId]);
  return rows;
}

it('numbers in every typed format: standard forms are accepted and normalised, the rest refused cleanly', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(typedNumber.map((n) => ({ ...n, standard: true })), junkNumber.map((text) => ({ text, e164: undefined, standard: false }))), { minLength: 1, maxLength: 5 }), async (entries) => {
      const before = await writeCounts(h.db);
      const payload = { name: 'n', channel_id: channelId, recipient_type: 'input', number_list: entries.map((e) => ({ number: e.text })), content_type: 'text', content: 'hi', send_type: 'draft' };
      const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload });
      expectStableAnswer(res, payload);
      if (res.statusCode >= 400) {
        expect(await writeCounts(h.db)).toEqual(before);
        // A list of standard forms only must never be refused.
        expect(entries.every((e) => e.standard)).toBe(false);
        return;
      }
      expect(res.statusCode).toBe(201);
      const stored = await recipientsOf(res.json<{ id: string }>().id);
      for (const r of stored) expect(r.number).toMatch(E164);
      const expected = new Set(entries.filter((e) => e.standard).map((e) => e.e164));
      for (const e164 of expected) expect(stored.map((r) => r.number)).toContain(e164);
    }),
    { numRuns: 60 },
  );
}, 60_000);

it('variables with quotes, emoji and very long values are stored exactly, or refused without a write', async () => {
  await fc.assert(
    fc.asyncProperty(variables, async (vars) => {
      const before = await writeCounts(h.db);
      const payload = { name: 'v', channel_id: channelId, recipient_type: 'input', number_list: [{ number: '+14155550132', variables: vars }], content_type: 'text', content: 'Hi {{name}}', send_type: 'draft' };
      const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload });
      expectStableAnswer(res, { vars: JSON.stringify(vars).slice(0, 300) });
      if (res.statusCode >= 400) {
        expect(await writeCounts(h.db)).toEqual(before);
        return;
      }
      const [row] = await recipientsOf(res.json<{ id: string }>().id);
      expect(row?.variables ?? {}).toEqual(JSON.parse(JSON.stringify(vars)));
    }),
    { numRuns: 40 },
  );
}, 60_000);

it('timestamps of any size (send_time, expires_at) are accepted or refused, never a 5xx', async () => {
  const seconds = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(8.64e12, 8.64e15, 2 ** 53 - 1, 1e21, 1e308), fc.integer());
  const draft = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    payload: { name: 't', channel_id: channelId, recipient_type: 'input', number_list: [{ number: '+14155550132' }], content_type: 'text', content: 'hi', send_type: 'draft' },
  });
  const id = draft.json<{ id: string }>().id;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('create', 'patch', 'resend'), fc.constantFrom('send_time', 'expires_at'), seconds, async (route, field, value) => {
      const options =
        route === 'create'
          ? { method: 'POST' as const, url: '/v1/campaigns', payload: { name: 't', channel_id: channelId, recipient_type: 'input', number_list: [{ number: '+14155550132' }], content_type: 'text', content: 'hi', send_type: 'schedule', [field]: value } }
          : route === 'patch'
            ? { method: 'PATCH' as const, url: `/v1/campaigns/${id}`, payload: { send_type: 'schedule', [field]: value } }
            : { method: 'POST' as const, url: `/v1/campaigns/${id}/resend-failed`, payload: { [field]: value } };
      const res = await h.request(options);
      expectStableAnswer(res, options);
    }),
    { numRuns: 40 },
  );
}, 60_000);
