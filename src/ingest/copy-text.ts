/**
 * COPY text (text format: one row per line, LF-terminated) as the merge of an upload holds it.
 *
 * Why a reusable buffer and not an array of the Buffers that arrived: a chunk's text lives for as
 * long as its COPY and merge take (about a second for 50,000 rows), so each of the hundreds of
 * small Buffers it arrived in survived two scavenges and was promoted to V8's old space, where
 * only a full mark-compact frees it. Measured on a 1M-row upload: ~55 MB of such dead
 * ArrayBuffers piled up before each full GC, which was most of the API's RSS growth. Copying them
 * into one buffer per role, allocated once and reused for every chunk, lets them die young.
 */

const LF = 0x0a;
const TAB = 0x09;

/** Bytes of COPY text, appended to; grows (doubling) and is reused after `clear`, never shrunk. */
export class CopyTextBuffer {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes held. */
  length = 0;
  /** Lines held. */
  rows = 0;

  append(text: Buffer, rows: number): void {
    const needed = this.length + text.length;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.buffer.length * 2, 64 * 1024));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    text.copy(this.buffer, this.length);
    this.length = needed;
    this.rows += rows;
  }

  /** The text held (a view: valid until the next append or clear). */
  view(from = 0): Buffer {
    return this.buffer.subarray(from, this.length);
  }

  clear(): void {
    this.length = 0;
    this.rows = 0;
  }
}

export function countLines(buffer: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(LF); i !== -1; i = buffer.indexOf(LF, i + 1)) n += 1;
  return n;
}

/** Where a slice of at most `max` bytes starting at `from` ends: after a line end if there is one. */
export function sliceEnd(text: Buffer, from: number, max: number): number {
  if (text.length - from <= max) return text.length;
  const lf = text.lastIndexOf(LF, from + max - 1);
  if (lf >= from) return lf + 1;
  // One line longer than `max` (a row with large variables): up to its own end.
  const next = text.indexOf(LF, from + max);
  return next === -1 ? text.length : next + 1;
}

/** The line number that starts the last line of `text` (staging COPY text, ending with LF). */
export function lastLine(text: Buffer): number {
  const start = text.lastIndexOf(LF, text.length - 2) + 1;
  let line = 0;
  for (let i = start; i < text.length; i++) {
    const b = text[i]!;
    if (b < 0x30 || b > 0x39) break;
    line = line * 10 + (b - 0x30);
  }
  return line;
}

/** Staging COPY text (`line \t number \t variables`) as ledger COPY text (`campaign \t number \t variables`). */
export function ledgerText(text: Buffer, campaign: Buffer): Buffer {
  let lines = 0;
  let size = 0;
  for (let pos = 0; pos < text.length; ) {
    const tab = text.indexOf(TAB, pos);
    if (tab === -1) throw new Error('staged merge: a COPY line without a tab');
    let end = text.indexOf(LF, tab);
    end = end === -1 ? text.length : end + 1;
    size += campaign.length + (end - tab);
    lines += 1;
    pos = end;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let pos = 0, n = 0; n < lines; n++) {
    const tab = text.indexOf(TAB, pos);
    let end = text.indexOf(LF, tab);
    end = end === -1 ? text.length : end + 1;
    at += campaign.copy(out, at);
    at += text.copy(out, at, tab, end);
    pos = end;
  }
  return out;
}
