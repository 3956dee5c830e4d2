/**
 * Phonebooks and contacts through the API: CRUD, contacts as JSON (all or nothing) and as CSV
 * (bad rows reported by line), paging, and a phonebook campaign created afterwards picking the
 * contacts up through the existing create path.
 */
import { createApiHarness, insertChannel, type ApiHarness } from '../api/api-harness.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await createApiHarness('ingest_phonebooks');
});
afterAll(async () => {
  await h.close();
});

async function newPhonebook(name = 'VIP'): Promise<string> {
  const res = await h.request({ method: 'POST', url: '/v1/phonebooks', payload: { name } });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

function addJson(id: string, contacts: unknown[]) {
  return h.request({ method: 'POST', url: `/v1/phonebooks/${id}/contacts`, payload: { contacts } });
}

function addCsv(id: string, csv: string) {
  return h.request({ method: 'POST', url: `/v1/phonebooks/${id}/contacts`, headers: { 'content-type': 'text/csv' }, payload: csv });
}

test('create, read, list with contact counts, delete', async () => {
  const a = await newPhonebook('A');
  const b = await newPhonebook('B');
  await addJson(a, [{ mobile_number: '+12025550101' }, { mobile_number: '+12025550102' }]);

  const one = await h.request({ method: 'GET', url: `/v1/phonebooks/${a}` });
  expect(one.json()).toMatchObject({ id: a, name: 'A', contact_count: 2 });

  const page1 = await h.request({ method: 'GET', url: '/v1/phonebooks?limit=1' });
  expect(page1.json().items).toEqual([expect.objectContaining({ id: a, contact_count: 2 })]);
  const page2 = await h.request({ method: 'GET', url: `/v1/phonebooks?limit=1&cursor=${page1.json().next_cursor}` });
  expect(page2.json().items).toEqual([expect.objectContaining({ id: b, contact_count: 0 })]);

  const del = await h.request({ method: 'DELETE', url: `/v1/phonebooks/${a}` });
  expect(del.statusCode).toBe(204);
  expect(await h.db.prisma.contact.count({ where: { phonebookId: BigInt(a) } })).toBe(0);
  for (const res of [
    await h.request({ method: 'GET', url: `/v1/phonebooks/${a}` }),
    await h.request({ method: 'DELETE', url: `/v1/phonebooks/${a}` }),
    await h.request({ method: 'GET', url: '/v1/phonebooks/not-an-id' }),
    await addJson(a, [{ mobile_number: '+12025550101' }]),
  ]) {
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('PHONEBOOK_NOT_FOUND');
  }
});

test('JSON contacts are normalised; one bad number refuses the request with its field', async () => {
  const id = await newPhonebook();
  const bad = await addJson(id, [{ mobile_number: '+12025550101' }, { first_name: 'Bo', mobile_number: '+12025550102', home_number: '12345' }]);
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error).toMatchObject({ code: 'INVALID_PHONE_NUMBER', field: 'contacts[1].home_number' });
  const none = await addJson(id, [{ first_name: 'No number' }]);
  expect(none.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'contacts[0]' });
  const unknown = await addJson(id, [{ mobile_number: '+12025550101', pager: '1' }]);
  expect(unknown.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'contacts[0].pager' });
  expect(await h.db.prisma.contact.count({ where: { phonebookId: BigInt(id) } })).toBe(0);

  const ok = await addJson(id, [
    { first_name: ' Ann ', last_name: 'Lee', mobile_number: '0086 138 0000 1111', business_number: '+1 (202) 555-0101', variables: { tier: 'gold' } },
    { email: 'bo@example.com', other_number: '+44 20 7946 0958' },
  ]);
  expect(ok.statusCode).toBe(201);
  expect(ok.json()).toEqual({ accepted: 2, rejected: 0, rejected_total: 0, rejections: [] });

  const page = await h.request({ method: 'GET', url: `/v1/phonebooks/${id}/contacts?limit=1` });
  expect(page.json().items).toEqual([
    expect.objectContaining({ first_name: 'Ann', last_name: 'Lee', mobile_number: '+8613800001111', business_number: '+12025550101', variables: { tier: 'gold' }, email: null }),
  ]);
  const next = await h.request({ method: 'GET', url: `/v1/phonebooks/${id}/contacts?limit=1&cursor=${page.json().next_cursor}` });
  expect(next.json()).toEqual({ items: [expect.objectContaining({ email: 'bo@example.com', other_number: '+442079460958', mobile_number: null })], next_cursor: null });
});

test('CSV contacts stream in; bad rows are reported by line and the rest kept', async () => {
  const id = await newPhonebook();
  const csv = [
    'First_Name;mobile_number;home_number;tier', // 1 (semicolons, detected)
    'Ann;+8613800001111;;gold', //                   2
    'Bo;+8613800002222;bad;silver', //               3 bad home_number
    'Cy;;;', //                                      4 no number at all
    '', //                                           5
    'Di;;+44 20 7946 0958;"bronze;plus"', //         6
  ].join('\r\n');
  const res = await addCsv(id, csv);
  expect(res.statusCode).toBe(201);
  expect(res.json()).toEqual({
    accepted: 2,
    rejected: 2,
    rejected_total: 2,
    rejections: [
      { line: 3, reason: 'no_country_code', column: 'home_number', value: 'bad' },
      { line: 4, reason: 'no_number' },
    ],
  });
  const contacts = await h.db.prisma.contact.findMany({ where: { phonebookId: BigInt(id) }, orderBy: { id: 'asc' } });
  expect(contacts.map((c) => [c.firstName, c.mobileNumber, c.homeNumber, c.variables])).toEqual([
    ['Ann', '+8613800001111', null, { tier: 'gold' }],
    ['Di', null, '+442079460958', { tier: 'bronze;plus' }],
  ]);

  const noNumbers = await addCsv(id, 'first_name,tier\nAnn,gold\n');
  expect(noNumbers.statusCode).toBe(400);
  expect(noNumbers.json().error).toMatchObject({ code: 'CSV_HEADER_INVALID', field: 'header' });
});

test('a phonebook campaign created after contacts were added through the API gets them', async () => {
  const channelId = await insertChannel(h.db, 'whatsapp');
  const id = await newPhonebook('Customers');
  await addJson(id, [{ first_name: 'Ann', mobile_number: '+12025550101' }]);
  await addCsv(id, 'first_name,mobile_number\nBo,+8613800002222\nCy,+1 202 555 0101\n');

  const res = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    payload: {
      name: 'From phonebook',
      channel_id: channelId,
      recipient_type: 'phonebook',
      recipient_id: Number(id),
      recipient_num_type: 'mobile_number',
      content_type: 'template',
      msg_param: JSON.stringify({ name: 'discount_campaign', language: { code: 'en' } }),
      send_type: 'draft',
    },
  });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ recipient_count: 2, duplicates_removed: 1 });
  const rows = await h.db.prisma.recipient.findMany({ where: { campaignId: res.json().id }, orderBy: { id: 'asc' } });
  expect(rows.map((r) => [r.number, (r.variables as Record<string, unknown>).first_name])).toEqual([
    ['+12025550101', 'Ann'],
    ['+8613800002222', 'Bo'],
  ]);
});
