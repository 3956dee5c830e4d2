/**
 * Which character separates the fields of an uploaded CSV.
 *
 * The caller may say (`?delimiter=;`); otherwise the header line decides: of comma, semicolon, tab
 * and pipe, the one that occurs most often outside quotes wins, and a header with none of them
 * (a single `number` column) is read as comma-separated. The header is the right place to look:
 * it is written by whoever exported the file, it always has the column names we need, and a
 * spreadsheet in a locale with a decimal comma (Excel in much of Europe) exports `number;name`.
 * Pure: no I/O.
 */

/** The delimiters we accept, as the `delimiter` query parameter spells them. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const QUOTE = 0x22;

/**
 * The delimiter a header line uses: the most frequent candidate outside double quotes; comma when
 * none occurs (or on a tie with comma, which is the default).
 * @param headerLine the first line of the file, raw bytes (a BOM or a trailing CR does not matter).
 */
export function detectDelimiter(headerLine: Uint8Array): Delimiter {
  const counts = new Map<number, number>(DELIMITERS.map((d) => [d.charCodeAt(0), 0]));
  let quoted = false;
  for (const byte of headerLine) {
    if (byte === QUOTE) quoted = !quoted;
    else if (!quoted && counts.has(byte)) counts.set(byte, counts.get(byte)! + 1);
  }
  let best: Delimiter = ',';
  let bestCount = counts.get(0x2c)!;
  for (const d of DELIMITERS) {
    const n = counts.get(d.charCodeAt(0))!;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}
