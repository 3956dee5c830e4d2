/** The COPY text helpers of the staged merge (src/ingest/copy-text.ts). */
import { CopyTextBuffer, countLines, lastLine, ledgerText, sliceEnd } from '../../../src/ingest/copy-text.js';

const text = (s: string) => Buffer.from(s, 'latin1');

test('CopyTextBuffer keeps what was appended across growth, and is reused after clear', () => {
  const buffer = new CopyTextBuffer();
  const line = text(`7\t+8613800000007\t${'x'.repeat(1_000)}\n`);
  for (let i = 0; i < 200; i++) buffer.append(line, 1);
  expect(buffer.rows).toBe(200);
  expect(buffer.view().equals(Buffer.concat(Array.from({ length: 200 }, () => line)))).toBe(true);
  expect(buffer.view(line.length * 199).equals(line)).toBe(true);
  buffer.clear();
  buffer.append(text('1\ta\t\\N\n'), 1);
  expect(buffer.view().toString('latin1')).toBe('1\ta\t\\N\n');
  expect(buffer.rows).toBe(1);
});

test('sliceEnd cuts after a line end, or after the line that is longer than a slice', () => {
  const t = text('12\tab\n34\tcd\n56\tef\n');
  expect(sliceEnd(t, 0, 100)).toBe(t.length);
  expect(sliceEnd(t, 0, 8)).toBe(6);
  expect(sliceEnd(t, 6, 12)).toBe(18);
  expect(sliceEnd(t, 0, 3)).toBe(6);
});

test('countLines, lastLine and ledgerText read staging COPY text', () => {
  const t = text('2\t+12025550101\t{"a":"b"}\n10\t+8613800003333\t\\N\n');
  expect(countLines(t)).toBe(2);
  expect(lastLine(t)).toBe(10);
  expect(ledgerText(t, text('C')).toString('latin1')).toBe('C\t+12025550101\t{"a":"b"}\nC\t+8613800003333\t\\N\n');
  expect(() => ledgerText(text('no tab\n'), text('C'))).toThrow(/without a tab/);
});
