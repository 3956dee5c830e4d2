/**
 * POST /v1/campaigns/:id/recipients with text/csv: what lands in the ledger, what is reported as
 * rejected (with the right line numbers), and that a refused upload writes nothing.
 */
import { createApiHarness, insertChannel, type ApiHarness } from '../api/api-harness.js';
import { chineseMobile, insertCampaign, ledger, uploadCsv } from './ingest-helpers.js';

let h: ApiHarness;
let channelId: string;

beforeAll(async () => {
  h = await createApiHarness('ingest_upload');
  channelId = await insertChannel(h.db, 'whatsapp');
});
afterAll(async () => {
  await h.close();
});

test('BOM, CRLF, quoted commas and line breaks, blank lines and variable columns', async () => {
  const id = await insertCampaign(h.db, channelId);
  const csv =
    '\ufeffNumber,name,"city, country"\r\n' +
    '+1 (202) 555-0101,"Smith, Ann","Paris, FR"\r\n' +
    '\r\n' +
    '0086 138 0000 1111,"Bob ""the"" Builder","multi\r\nline"\r\n' +
    ',,\r\n' +
    '+44 20 7946 0958,Cy,\r\n';
  const res = await uploadCsv(h, id, csv);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ accepted: 3, rejected: 0, duplicates: 0, rejected_total: 0, rejections: [], recipient_count: 3 });
  expect(await ledger(h.db, id)).toEqual([
    { number: '+12025550101', variables: { name: 'Smith, Ann', 'city, country': 'Paris, FR' } },
    { number: '+8613800001111', variables: { name: 'Bob "the" Builder', 'city, country': 'multi\r\nline' } },
    { number: '+442079460958', variables: { name: 'Cy', 'city, country': '' } },
  ]);
  const campaign = await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } });
  expect(campaign.recipientCount).toBe(3);
});

test('bad numbers and duplicates are reported with the lines they start on', async () => {
  const id = await insertCampaign(h.db, channelId);
  // Already in the campaign before the upload.
  await h.db.prisma.recipient.create({ data: { campaignId: id, number: '+442079460958' } });
  await h.db.prisma.campaign.update({ where: { id }, data: { recipientCount: 1 } });
  const csv = [
    'phone,note', //                      1
    '+12025550101,first', //              2
    '2025550102,no plus', //              3
    '"+1 202 555 0101",again', //         4 duplicate of line 2
    '', //                                5
    '"+1 800 FLOWERS","quoted', //        6-7 (a line break inside quotes)
    'line"',
    '+442079460958,existing', //          8 already in the campaign
    ',empty number', //                   9
    '+8613800001111,too,many', //        10
    '+8613800002222,ok', //              11
  ].join('\n');
  const res = await uploadCsv(h, id, csv);
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(body).toMatchObject({ accepted: 2, rejected: 4, duplicates: 2, rejected_total: 6, recipient_count: 3 });
  expect(body.rejections).toEqual([
    { line: 3, reason: 'no_country_code', value: '2025550102' },
    { line: 4, reason: 'duplicate_in_file', value: '+12025550101' },
    { line: 6, reason: 'invalid_number', value: '+1 800 FLOWERS' },
    { line: 8, reason: 'duplicate_in_campaign', value: '+442079460958' },
    { line: 9, reason: 'missing_number' },
    { line: 10, reason: 'field_count', value: '3 fields; the header has 2' },
  ]);
  expect((await ledger(h.db, id)).map((r) => r.number)).toEqual(['+442079460958', '+12025550101', '+8613800002222']);
});

test('a semicolon delimiter is detected from the header, or taken from ?delimiter=', async () => {
  const detected = await insertCampaign(h.db, channelId);
  const res = await uploadCsv(h, detected, 'number;name\n+12025550101;"Ann; Jr"\n');
  expect(res.json()).toMatchObject({ accepted: 1, rejected_total: 0 });
  expect(await ledger(h.db, detected)).toEqual([{ number: '+12025550101', variables: { name: 'Ann; Jr' } }]);

  // A header with a comma in a name would be read as comma-separated; the parameter settles it.
  const explicit = await insertCampaign(h.db, channelId);
  const res2 = await uploadCsv(h, explicit, 'number;"last, first"\n+12025550101;"Doe, J"\n', '?delimiter=%3B');
  expect(res2.json()).toMatchObject({ accepted: 1, rejected_total: 0 });
  expect(await ledger(h.db, explicit)).toEqual([{ number: '+12025550101', variables: { 'last, first': 'Doe, J' } }]);
});

test('variable names and values JSON must escape, numeric names, and __proto__ (dropped, as an object drops it)', async () => {
  const csv = 'number,2,"say ""x""",back\\slash,é\n+12025550101,two,"q""uote",a\\b,"tab\tand\nnewline"\n';
  const plain = await insertCampaign(h.db, channelId);
  expect((await uploadCsv(h, plain, csv)).json()).toMatchObject({ accepted: 1 });
  expect(await ledger(h.db, plain)).toEqual([
    { number: '+12025550101', variables: { '2': 'two', 'say "x"': 'q"uote', 'back\\slash': 'a\\b', é: 'tab\tand\nnewline' } },
  ]);
  const proto = await insertCampaign(h.db, channelId);
  expect((await uploadCsv(h, proto, 'number,__proto__,name\n+12025550101,x,Ann\n')).json()).toMatchObject({ accepted: 1 });
  expect(await ledger(h.db, proto)).toEqual([{ number: '+12025550101', variables: { name: 'Ann' } }]);
});

test('a row longer than 64 KB is one rejected row; parsing goes on after it', async () => {
  const id = await insertCampaign(h.db, channelId);
  const csv = `number,note\n+12025550101,${'x'.repeat(70_000)}\n+12025550102,short\n`;
  const res = await uploadCsv(h, id, csv);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ accepted: 1, rejected: 1, rejections: [{ line: 2, reason: 'row_too_long' }] });
  expect((await ledger(h.db, id)).map((r) => r.number)).toEqual(['+12025550102']);
});

test('a header without a number column is refused with its field, and writes nothing', async () => {
  const id = await insertCampaign(h.db, channelId);
  const res = await uploadCsv(h, id, 'mobile,name\n+12025550101,Ann\n');
  expect(res.statusCode).toBe(400);
  expect(res.json().error).toMatchObject({ code: 'CSV_HEADER_INVALID', field: 'number' });
  const empty = await uploadCsv(h, id, '');
  expect(empty.statusCode).toBe(400);
  expect(empty.json().error).toMatchObject({ code: 'CSV_HEADER_INVALID', field: 'header' });
  expect(await ledger(h.db, id)).toEqual([]);
});

test('only draft and scheduled campaigns take uploads; unknown campaigns are 404', async () => {
  const running = await insertCampaign(h.db, channelId, 'running');
  const res = await uploadCsv(h, running, 'number\n+12025550101\n');
  expect(res.statusCode).toBe(409);
  expect(res.json().error.code).toBe('CAMPAIGN_STATE_CONFLICT');
  expect(await ledger(h.db, running)).toEqual([]);

  const scheduled = await insertCampaign(h.db, channelId, 'scheduled');
  expect((await uploadCsv(h, scheduled, 'number\n+12025550101\n')).statusCode).toBe(200);

  const missing = await uploadCsv(h, '00000000-0000-4000-8000-000000000000', 'number\n+12025550101\n');
  expect(missing.statusCode).toBe(404);
  expect(missing.json().error.code).toBe('CAMPAIGN_NOT_FOUND');
});

test('a JSON body, or a CSV in another charset than UTF-8, is refused (415)', async () => {
  const id = await insertCampaign(h.db, channelId);
  const json = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/recipients`, payload: { number: '+12025550101' } });
  expect(json.statusCode).toBe(415);
  expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  const latin1 = await uploadCsv(h, id, 'number\n+12025550101\n', '', 'text/csv; charset=iso-8859-1');
  expect(latin1.statusCode).toBe(415);
  expect(await ledger(h.db, id)).toEqual([]);
});

test('20,000 rows land exactly, in file order, with the count updated', async () => {
  const id = await insertCampaign(h.db, channelId);
  const lines = ['number,n'];
  for (let i = 0; i < 20_000; i++) lines.push(`${chineseMobile(i)},${i}`);
  const res = await uploadCsv(h, id, lines.join('\n'));
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ accepted: 20_000, rejected_total: 0, recipient_count: 20_000 });
  const rows = await ledger(h.db, id);
  expect(rows).toHaveLength(20_000);
  expect(rows[0]).toEqual({ number: chineseMobile(0), variables: { n: '0' } });
  expect(rows[19_999]).toEqual({ number: chineseMobile(19_999), variables: { n: '19999' } });
  expect(new Set(rows.map((r) => r.number)).size).toBe(20_000);
  expect((await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } })).recipientCount).toBe(20_000);

  // The same file again: every row is now a duplicate of the campaign; nothing changes.
  const again = await uploadCsv(h, id, lines.join('\n'));
  expect(again.json()).toMatchObject({ accepted: 0, duplicates: 20_000, rejected_total: 20_000, recipient_count: 20_000 });
  expect(again.json().rejections).toHaveLength(1_000);
  expect(again.json().rejections[0]).toEqual({ line: 2, reason: 'duplicate_in_campaign', value: chineseMobile(0) });
});
