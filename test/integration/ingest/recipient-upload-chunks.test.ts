/**
 * An upload is staged and merged into the ledger chunk by chunk while the body streams in
 * (src/ingest/merge-staged-recipients.ts). Whatever the chunk size, the answer and the ledger must
 * be what merging the whole file at once gives: duplicates across chunk boundaries are
 * `duplicate_in_file` (first line wins), earlier recipients `duplicate_in_campaign`, ids in line
 * order, and a failure mid-way leaves nothing behind.
 */
import { Readable } from 'node:stream';
import { uploadRecipients } from '../../../src/ingest/upload-recipients.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { insertCampaign, ledger } from './ingest-helpers.js';

let db: TestDatabase;
let channelId: string;
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  db = await createTestDatabase('ingest_chunks');
  const channel = await db.prisma.channel.create({ data: { name: 'c', provider: 'connectly', kind: 'sms', senderId: '+15550007000' } });
  channelId = channel.id;
});
afterAll(async () => db?.close());

const CSV = [
  'phone,note', //                      1
  '+12025550101,first', //              2
  '2025550102,no plus', //              3
  '"+1 202 555 0101",again', //         4 duplicate of line 2
  '+8613800003333,x', //                5
  '+442079460958,existing', //          6 already in the campaign
  '+8613800003333,y', //                7 duplicate of line 5
  '+8613800002222,ok', //               8
  '+442079460958,existing again', //    9 already in the campaign, and a repeat of line 6
  '+12025550101,third', //             10 duplicate of line 2
  '+8613800004444,last', //            11
].join('\n');

async function upload(chunkRows: number | undefined, csv = CSV, existing = true, chunkBytes?: number) {
  const id = await insertCampaign(db, channelId);
  if (existing) {
    await db.prisma.recipient.create({ data: { campaignId: id, number: '+442079460958' } });
    await db.prisma.campaign.update({ where: { id }, data: { recipientCount: 1 } });
  }
  const result = await uploadRecipients({ pool: db.pool, log }, { campaignId: id, body: Readable.from([Buffer.from(csv)]), maxBodyBytes: 1 << 24, mergeChunkRows: chunkRows, mergeChunkBytes: chunkBytes });
  return { result, ledger: await ledger(db, id) };
}

test('every chunk size gives the answer and ledger of one merge', async () => {
  const whole = await upload(undefined);
  expect(whole.result).toEqual({
    accepted: 4,
    rejected: 1,
    duplicates: 5,
    rejected_total: 6,
    recipient_count: 5,
    rejections: [
      { line: 3, reason: 'no_country_code', value: '2025550102' },
      { line: 4, reason: 'duplicate_in_file', value: '+12025550101' },
      { line: 6, reason: 'duplicate_in_campaign', value: '+442079460958' },
      { line: 7, reason: 'duplicate_in_file', value: '+8613800003333' },
      { line: 9, reason: 'duplicate_in_file', value: '+442079460958' },
      { line: 10, reason: 'duplicate_in_file', value: '+12025550101' },
    ],
  });
  expect(whole.ledger.map((r) => r.number)).toEqual(['+442079460958', '+12025550101', '+8613800003333', '+8613800002222', '+8613800004444']);
  for (const chunkRows of [1, 2, 3, 4, 7]) {
    const chunked = await upload(chunkRows);
    expect({ chunkRows, ...chunked }).toEqual({ chunkRows, ...whole });
  }
});

test('a campaign without recipients (chunks COPYed straight into the ledger): the same answers', async () => {
  const whole = await upload(undefined, CSV, false);
  expect(whole.result).toEqual({
    accepted: 5,
    rejected: 1,
    duplicates: 4,
    rejected_total: 5,
    recipient_count: 5,
    rejections: [
      { line: 3, reason: 'no_country_code', value: '2025550102' },
      { line: 4, reason: 'duplicate_in_file', value: '+12025550101' },
      { line: 7, reason: 'duplicate_in_file', value: '+8613800003333' },
      { line: 9, reason: 'duplicate_in_file', value: '+442079460958' },
      { line: 10, reason: 'duplicate_in_file', value: '+12025550101' },
    ],
  });
  expect(whole.ledger.map((r) => r.number)).toEqual(['+12025550101', '+8613800003333', '+442079460958', '+8613800002222', '+8613800004444']);
  for (const chunkRows of [1, 2, 3, 4, 7]) {
    const chunked = await upload(chunkRows, CSV, false);
    expect({ chunkRows, ...chunked }).toEqual({ chunkRows, ...whole });
  }
});

test('many chunks without duplicates: all rows, in line order', async () => {
  const rows = Array.from({ length: 1_000 }, (_, i) => `+86138${String(i).padStart(8, '0')},n${i}`);
  const csv = ['number,name', ...rows].join('\n') + '\n';
  for (const existing of [true, false]) {
    const { result, ledger: rowsIn } = await upload(97, csv, existing);
    expect(result).toMatchObject({ accepted: 1_000, duplicates: 0, rejected: 0, recipient_count: existing ? 1_001 : 1_000 });
    expect(rowsIn.slice(existing ? 1 : 0).map((r) => r.number)).toEqual(rows.map((r) => r.split(',')[0]));
    expect(rowsIn.slice(existing ? 1 : 0).map((r) => r.variables)).toEqual(rows.map((r) => ({ name: r.split(',')[1] })));
  }
});

test('chunks cut by bytes, and text that waited for a merge sent on in slices: the same answers', async () => {
  // ~1.2 MB of COPY text: 100 KB chunks end by size, and what waits meanwhile is more than one
  // 64 KB slice. Repeats across chunk boundaries take the refusing path in direct mode.
  const rows = Array.from({ length: 4_000 }, (_, i) => `+86138${String(i).padStart(8, '0')},${'v'.repeat(250)}${i}`);
  for (const i of [5, 1_500, 3_999]) rows.push(`+86138${String(i).padStart(8, '0')},again`);
  rows.push('+442079460958,existing');
  const csv = ['number,name', ...rows].join('\n') + '\n';
  for (const existing of [true, false]) {
    const whole = await upload(undefined, csv, existing);
    expect(whole.result).toMatchObject({ accepted: existing ? 4_000 : 4_001, duplicates: existing ? 4 : 3, rejected: 0 });
    const chunked = await upload(undefined, csv, existing, 100 * 1024);
    expect(chunked).toEqual(whole);
  }
});

test('a body that fails after some chunks were merged leaves the ledger as it was', async () => {
  const id = await insertCampaign(db, channelId);
  const rows = Array.from({ length: 500 }, (_, i) => `+86138${String(i).padStart(8, '0')},n${i}\n`);
  const body = Readable.from(
    (async function* () {
      yield Buffer.from('number,name\n');
      yield Buffer.from(rows.join(''));
      await new Promise((r) => setTimeout(r, 200));
      throw new Error('client gone');
    })(),
  );
  await expect(uploadRecipients({ pool: db.pool, log }, { campaignId: id, body, maxBodyBytes: 1 << 20, mergeChunkRows: 50 })).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
  expect(await ledger(db, id)).toEqual([]);
  expect((await db.prisma.campaign.findUniqueOrThrow({ where: { id } })).recipientCount).toBe(0);
});
