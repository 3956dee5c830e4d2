/** The one table `npm run bench` prints: a row per figure, its target and whether it is met. */
import { ratioOf, summarize, verdict, type Figure } from './figure.js';

function num(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  return x.toFixed(abs >= 1 ? 2 : 3);
}

function targetText(f: Figure): string {
  if (!f.target) return '';
  const what = f.target.on === 'ratio' ? `ratio ` : '';
  const stat = f.target.stat === 'max' ? 'max ' : '';
  return `${stat}${what}${f.target.op === '>=' ? '≥' : '≤'} ${num(f.target.value)}`;
}

export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'median', 'min', 'max', 'unit', 'ratio', 'target', 'pass', 'note'];
  const rows = figures.map((f) => {
    const s = summarize(f.samples);
    const ratio = ratioOf(f);
    const v = verdict(f);
    return [
      f.name,
      s ? num(s.median) : '—',
      s ? num(s.min) : '—',
      s ? num(s.max) : '—',
      f.unit,
      ratio === undefined ? '' : `${ratio.toFixed(2)} (${f.ratio!.of})`,
      targetText(f),
      v === undefined ? '' : v ? 'pass' : 'FAIL',
      f.note ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
