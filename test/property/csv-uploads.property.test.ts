/**
 * CSV uploads (campaign recipients and phonebook contacts) as they arrive from spreadsheets and
 * scripts: BOMs, every delimiter (named or guessed, right or wrong), CRLF or LF, blank lines,
 * quoted fields with quotes, delimiters and newlines inside, hostile values, and a 10 MB line.
 * Never a 5xx; an accepted upload accounts for every data row (accepted + rejected + duplicates)
 * and adds exactly `accepted` rows; a refused one adds none (all or nothing).
 */
import fc from 'fast-check';
import { createSecurityHarness, writeCounts, type SecurityHarness } from '../integration/security/security-harness.js';
import { expectStableAnswer, hostileString } from './property-helpers.js';

let h: SecurityHarness;
let campaignId: string;
let phonebookId: string;

beforeAll(async () => {
  h = await createSecurityHarness('prop_csv', { config: { apiRateLimitPerSecond: 0 } });
  const channel = await h.request({
    method: 'POST',
    url: '/v1/channels',
    payload: { name: 'sms', provider: 'connectly', kind: 'sms', sender_id: '+15550007000', settings: { businessId: 'b' }, credentials: { apiKey: 'k' } },
  });
  const campaign = await h.request({
    method: 'POST',
    url: '/v1/campaigns',
    payload: { name: 'csv', channel_id: channel.json<{ id: string }>().id, recipient_type: 'input', number_list: [{ number: '+14155550100' }], content_type: 'text', content: 'hi', send_type: 'draft' },
  });
  campaignId = campaign.json<{ id: string }>().id;
  phonebookId = (await h.request({ method: 'POST', url: '/v1/phonebooks', payload: { name: 'p' } })).json<{ id: string }>().id;
}, 60_000);
afterAll(async () => h?.close());

const DELIMITERS = [',', ';', '\t', '|'] as const;
const number = fc.oneof(
  fc.integer({ min: 0, max: 9_999 }).map((n) => `+1 415 555 ${String(n).padStart(4, '0')}`),
  fc.integer({ min: 0, max: 9_999 }).map((n) => `0044 20 7946 ${String(n).padStart(4, '0')}`),
  hostileString.map((s) => s.slice(0, 50)),
);
const cell = fc.oneof(fc.constantFrom('Ann', 'O\'Brien', 'say "hi"', 'a,b;c|d\te', 'line\nbreak', 'emoji 😀', ''), hostileString.map((s) => s.slice(0, 300)));

function quote(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

const csv = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    named: fc.constantFrom('none', 'right', 'wrong'),
    bom: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n'),
    header: fc.constantFrom(['number', 'name'], ['phone', 'city'], ['Number', 'name'], ['name', 'number', 'note'], ['nombre', 'telefono'], ['number', 'number']),
    rows: fc.array(fc.record({ number, extra: fc.array(cell, { minLength: 0, maxLength: 3 }), blankBefore: fc.boolean() }), { maxLength: 20 }),
    raw: fc.option(hostileString, { freq: 8 }),
  })
  .map((c) => {
    const lines = [c.header.join(c.delimiter)];
    let dataRows = 0;
    for (const r of c.rows) {
      if (r.blankBefore) lines.push('');
      const cells = c.header.map((name, i) => (/^(number|phone)$/i.test(name) ? r.number : (r.extra[i] ?? '')));
      lines.push(cells.map((v) => quote(v, c.delimiter)).join(c.delimiter));
      // A row whose fields are all blank (a spreadsheet's trailing `,,,`) is skipped like a blank
      // line (src/ingest/row-processor.ts isBlankRow), so it is not a row to account for.
      if (cells.some((v) => v.trim() !== '')) dataRows += 1;
    }
    const body = c.raw ?? (c.bom ? '\uFEFF' : '') + lines.join(c.eol) + c.eol;
    const named = c.named === 'none' ? undefined : c.named === 'right' ? c.delimiter : DELIMITERS.find((d) => d !== c.delimiter);
    return { body, delimiter: named, dataRows: c.raw === null ? dataRows : undefined };
  });

async function recipientCount(): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = $1`, [campaignId]);
  return Number(rows[0]?.n);
}

it('recipient and contact CSVs: never a 5xx, every row accounted for, all or nothing', async () => {
  await fc.assert(
    fc.asyncProperty(csv, fc.constantFrom('recipients', 'contacts'), async (upload, target) => {
      const before = await writeCounts(h.db);
      const path = target === 'recipients' ? `/v1/campaigns/${campaignId}/recipients` : `/v1/phonebooks/${phonebookId}/contacts`;
      const url = upload.delimiter ? `${path}?delimiter=${encodeURIComponent(upload.delimiter)}` : path;
      const res = await h.request({ method: 'POST', url, payload: upload.body, headers: { 'content-type': 'text/csv' } });
      expectStableAnswer(res, { url, body: upload.body.slice(0, 500) });
      const after = await writeCounts(h.db);
      if (res.statusCode >= 400) {
        expect(after).toEqual(before);
        return;
      }
      const result = res.json<{ accepted: number; rejected: number; duplicates?: number }>();
      const table = target === 'recipients' ? 'recipients' : 'contacts';
      expect(after[table]! - before[table]!).toBe(result.accepted);
      if (upload.dataRows !== undefined) expect(result.accepted + result.rejected + (result.duplicates ?? 0)).toBe(upload.dataRows);
    }),
    { numRuns: 50 },
  );
}, 90_000);

it('a 10 MB line is refused as a row (or the upload as a whole), never a 5xx', async () => {
  const before = await recipientCount();
  const body = `number,name\n+14155550111,${'x'.repeat(10 * 1024 * 1024)}\n+14155550112,ok\n`;
  const res = await h.request({ method: 'POST', url: `/v1/campaigns/${campaignId}/recipients`, payload: body, headers: { 'content-type': 'text/csv' } });
  expectStableAnswer(res, '10 MB line');
  if (res.statusCode === 200) {
    const result = res.json<{ accepted: number; rejected: number; duplicates: number }>();
    expect(result.accepted + result.rejected + result.duplicates).toBe(2);
    expect(result.rejected).toBeGreaterThanOrEqual(1);
    expect((await recipientCount()) - before).toBe(result.accepted);
  } else {
    expect(await recipientCount()).toBe(before);
  }
}, 60_000);
