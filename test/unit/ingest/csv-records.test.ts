/** Reading the fields of framer lines (src/ingest/csv-records.ts) gives what csv-parse gives. */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { csvParseOptions, forEachRecord } from '../../../src/ingest/csv-records.js';
import type { Delimiter } from '../../../src/ingest/csv-dialect.js';

function parseRecords(chunk: Buffer, delimiter: Delimiter): string[][] {
  const records: string[][] = [];
  forEachRecord(chunk, delimiter, csvParseOptions(delimiter), (r) => records.push(r));
  return records;
}
import { DELIMITERS } from '../../../src/ingest/csv-dialect.js';

const char = fc.constantFrom(',', ';', '\t', '|', 'a', '7', '+', ' ', '\r', '\\', 'é', '€', '😀');
const line = fc.array(char, { minLength: 1, maxLength: 30 }).map((cs) => cs.join(''));

test('quote-free lines: split at the delimiter, exactly as csv-parse reads them', () => {
  fc.assert(
    fc.property(fc.constantFrom(...DELIMITERS), fc.array(line, { minLength: 1, maxLength: 20 }), (delimiter, lines) => {
      const chunk = Buffer.from(lines.map((l, i) => `${i + 2}${delimiter}${l}\n`).join(''));
      expect(parseRecords(chunk, delimiter)).toEqual(parse(chunk, csvParseOptions(delimiter)));
    }),
    { numRuns: 500 },
  );
});

test('a chunk with a quote is read by csv-parse: quoted delimiters and line breaks, doubled quotes', () => {
  const chunk = Buffer.from('2,"+1 202, 555",x\n3,"a\nb","say ""hi"""\n5,plain,a"b\n');
  expect(parseRecords(chunk, ',')).toEqual([
    ['2', '+1 202, 555', 'x'],
    ['3', 'a\nb', 'say "hi"'],
    ['5', 'plain', 'a"b'],
  ]);
});

test('marker lines and empty fields', () => {
  expect(parseRecords(Buffer.from('4L\n5,,\n6Q\n'), ',')).toEqual([['4L'], ['5', '', ''], ['6Q']]);
});
