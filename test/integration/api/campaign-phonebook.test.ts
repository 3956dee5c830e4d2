/**
 * Phonebook campaigns: contacts resolved into the ledger at creation through the chosen number
 * field; contacts without that number or with an invalid one are reported, not dropped silently.
 */
import { createApiHarness, insertChannel, rowCounts, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
let channelId: string;

beforeAll(async () => {
  h = await createApiHarness('api_phonebook');
  channelId = await insertChannel(h.db, 'whatsapp');
});
afterAll(async () => {
  await h.close();
});

function phonebookCampaign(recipientId: bigint, numType = 'mobile_number') {
  return {
    name: 'Exclusive Discount Alert',
    channel_id: channelId,
    recipient_type: 'phonebook',
    recipient_id: Number(recipientId),
    recipient_num_type: numType,
    content_type: 'template',
    msg_param: JSON.stringify({ name: 'discount_campaign', language: { code: 'en' } }),
    send_type: 'draft',
  };
}

test('each contact’s chosen number lands in the ledger; missing, invalid and duplicate ones are reported', async () => {
  const book = await h.db.prisma.phonebook.create({ data: { name: 'VIP' } });
  // One at a time: the expected report lists contacts in id order.
  const contacts = [];
  for (const c of [
    { firstName: 'Ann', mobileNumber: '+86 138 0000 1111', businessNumber: '+442079460958', variables: { tier: 'gold' } },
    { firstName: 'Bob', mobileNumber: null, businessNumber: '+12025550101' },
    { firstName: 'Cy', mobileNumber: 'not a number' },
    { firstName: 'Di', mobileNumber: '0086-138-0000-1111' },
    { firstName: 'Ed', mobileNumber: '+1 (202) 555-0101' },
  ]) {
    contacts.push(await h.db.prisma.contact.create({ data: { phonebookId: book.id, ...c } }));
  }
  const ids = contacts.map((c) => c.id.toString());

  const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: phonebookCampaign(book.id) });
  expect(res.statusCode).toBe(201);
  const body = res.json();
  expect(body).toMatchObject({ status: 'draft', recipient_count: 2, duplicates_removed: 1, skipped_contacts_total: 2 });
  expect(body.skipped_contacts).toEqual([
    { contact_id: ids[1], reason: 'missing_number' },
    { contact_id: ids[2], reason: 'invalid_number' },
  ]);

  const rows = await h.db.prisma.recipient.findMany({ where: { campaignId: body.id }, orderBy: { id: 'asc' } });
  expect(rows.map((r) => r.number)).toEqual(['+8613800001111', '+12025550101']);
  expect(rows[0]!.variables).toEqual({ tier: 'gold', contact_id: ids[0], first_name: 'Ann' });
  const campaign = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id: body.id } });
  expect(campaign).toMatchObject({ recipientType: 'phonebook', phonebookId: book.id, recipientNumType: 'mobile_number', recipientCount: 2 });

  // The same phonebook through another number field.
  const byBusiness = await h.request({ method: 'POST', url: '/v1/campaigns', payload: phonebookCampaign(book.id, 'business_number') });
  expect(byBusiness.json()).toMatchObject({ recipient_count: 2, skipped_contacts_total: 3 });
});

test('a phonebook without one usable number is refused and writes nothing', async () => {
  const book = await h.db.prisma.phonebook.create({ data: { name: 'empty numbers' } });
  await h.db.prisma.contact.create({ data: { phonebookId: book.id, firstName: 'Nobody' } });
  const before = await rowCounts(h.db);
  const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: phonebookCampaign(book.id) });
  expect(res.statusCode).toBe(400);
  expect(res.json().error).toMatchObject({ code: 'NO_RECIPIENTS', field: 'recipient_id' });
  expect(await rowCounts(h.db)).toEqual(before);
});

test('an unknown recipient_num_type is a validation error naming the field', async () => {
  const book = await h.db.prisma.phonebook.create({ data: { name: 'x' } });
  const res = await h.request({ method: 'POST', url: '/v1/campaigns', payload: phonebookCampaign(book.id, 'pager') });
  expect(res.statusCode).toBe(400);
  expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'recipient_num_type' });
});
