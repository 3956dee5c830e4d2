/**
 * The documented inline cap (MAX_INLINE_RECIPIENTS, default 50,000): a campaign at the cap is
 * accepted whole in one transaction; one more recipient is refused and writes nothing.
 */
import { createApiHarness, insertChannel, rowCounts, type ApiHarness } from './api-harness.js';

const CAP = 50_000;
let h: ApiHarness;
let channelId: string;

beforeAll(async () => {
  h = await createApiHarness('api_large');
  channelId = await insertChannel(h.db, 'sms');
});
afterAll(async () => {
  await h.close();
});

const numbers = (n: number) => Array.from({ length: n }, (_, i) => ({ number: `+86 138 ${String(i).padStart(8, '0')}`, variables: { i: String(i) } }));
const payload = (n: number) => ({
  name: 'big',
  channel_id: channelId,
  recipient_type: 'input',
  number_list: numbers(n),
  content_type: 'text',
  content: 'hi',
  send_type: 'draft',
});

test('50,000 inline recipients (the default cap) are stored in one go', async () => {
  const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: payload(CAP) });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ recipient_count: CAP, duplicates_removed: 0 });
  const id = res.json().id as string;
  expect(await h.db.prisma.recipient.count({ where: { campaignId: id } })).toBe(CAP);
  const last = await h.db.prisma.recipient.findFirstOrThrow({ where: { campaignId: id }, orderBy: { id: 'desc' } });
  expect(last).toMatchObject({ number: '+8613800049999', variables: { i: '49999' } });
}, 60_000);

test('one more than the cap is refused with TOO_MANY_RECIPIENTS and writes nothing', async () => {
  const before = await rowCounts(h.db);
  const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: payload(CAP + 1) });
  expect(res.statusCode).toBe(400);
  expect(res.json().error).toMatchObject({ code: 'TOO_MANY_RECIPIENTS', field: 'number_list', details: { max: CAP, received: CAP + 1 } });
  expect(await rowCounts(h.db)).toEqual(before);
}, 60_000);
