/**
 * The pure parts of CSV ingest: delimiter detection, the record framer (line tags, markers, CRLF,
 * BOM, chunk boundaries), and the recipient row processor.
 */
import { Readable } from 'node:stream';
import { detectDelimiter } from '../../../src/ingest/csv-dialect.js';
import { RecordFramer } from '../../../src/ingest/record-framer.js';
import { recipientRows } from '../../../src/ingest/recipient-rows.js';
import { copyField } from '../../../src/ingest/row-processor.js';
import { mergeByLine, RejectionLog, rejection } from '../../../src/ingest/rejections.js';

async function frame(input: string | Buffer, chunkSize: number, maxRecordBytes = 1_000): Promise<string> {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out: Buffer[] = [];
  const framer = Readable.from(chunks).pipe(new RecordFramer({ delimiter: ',', maxRecordBytes }));
  for await (const c of framer) out.push(c as Buffer);
  return Buffer.concat(out).toString('utf8');
}

describe('detectDelimiter', () => {
  test.each([
    ['number,name', ','],
    ['number;name;city', ';'],
    ['number\tname', '\t'],
    ['number|name', '|'],
    ['number', ','],
    ['"a,b";"c,d"', ';'],
    ['"last, first";number', ';'],
  ])('%j → %j', (header, expected) => {
    expect(detectDelimiter(Buffer.from(header))).toBe(expected);
  });
});

describe('RecordFramer', () => {
  const input = '\ufeffnumber,note\r\n+1,"a\r\nb"\r\n\r\n+2,"say ""hi"""\n+3,5" screen\n+4,last';
  const expected = '1,number,note\n2,+1,"a\r\nb"\n5,+2,"say ""hi"""\n6,+3,5" screen\n7,+4,last\n';

  test.each([1, 2, 3, 7, 1024])('tags records with their first line, whatever the chunking (%d-byte chunks)', async (size) => {
    expect(await frame(input, size)).toBe(expected);
  });

  test('a record over the limit becomes a marker, and the next one is read normally', async () => {
    expect(await frame(`h\n${'x'.repeat(50)}\n"${'y\n'.repeat(30)}"\nok\n`, 7, 40)).toBe('1,h\n2L\n3L\n34,ok\n');
  });

  test('a file ending inside quotes ends with an unclosed-quote marker', async () => {
    expect(await frame('h\n+1,"open\nmore', 4)).toBe('1,h\n2Q\n');
    // A closing quote as the very last byte closes the field.
    expect(await frame('h\n+1,"closed"', 4)).toBe('1,h\n2,+1,"closed"\n');
  });
});

describe('recipientRows', () => {
  const plan = recipientRows.readHeader([' Phone ', 'name', '']);

  test('reads the number column and the named variable columns', () => {
    expect(plan).toEqual({ width: 3, numberIndex: 0, variables: [[1, 'name']] });
  });

  test('turns rows into COPY lines and rejections', () => {
    const result = recipientRows.processBatch(plan, [
      { line: 2, fields: ['+1 202 555 0101', 'Tab\there\\', ''] },
      { line: 3, fields: ['', ' ', ''] },
      { line: 4, fields: ['12025550101', 'x', ''] },
      { line: 5, fields: ['+12025550101', 'nul\u0000', ''] },
      { line: 6, fields: [], problem: 'row_too_long' },
    ]);
    expect(result.copy).toBe('2\t+12025550101\t{"name":"Tab\\\\there\\\\\\\\"}\n');
    expect(result.accepted).toBe(1);
    expect(result.rejections).toEqual([
      { line: 4, reason: 'no_country_code', value: '12025550101' },
      { line: 5, reason: 'nul_character' },
      { line: 6, reason: 'row_too_long' },
    ]);
  });

  test('a header without number or phone, or with a repeated name, is refused', () => {
    expect(() => recipientRows.readHeader(['mobile'])).toThrow(expect.objectContaining({ code: 'CSV_HEADER_INVALID', field: 'number' }));
    expect(() => recipientRows.readHeader(['number', 'Name', 'name'])).toThrow(expect.objectContaining({ code: 'CSV_HEADER_INVALID', field: 'name' }));
  });
});

test('copyField escapes what COPY text format needs escaped', () => {
  expect(copyField(null)).toBe('\\N');
  expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
});

test('RejectionLog counts all and keeps the first; mergeByLine interleaves by line', () => {
  const log = new RejectionLog(2);
  for (const line of [2, 5, 9]) log.add(rejection(line, 'invalid_number'));
  expect(log.total).toBe(3);
  expect(log.listed.map((r) => r.line)).toEqual([2, 5]);
  const merged = mergeByLine(log.listed, [rejection(3, 'duplicate_in_file'), rejection(7, 'duplicate_in_file')], 3);
  expect(merged.map((r) => r.line)).toEqual([2, 3, 5]);
});
