/** The suite's table: one row per scenario, then each scenario's notes (the evidence). */
import type { ScenarioResult } from './scenarios/scenario.js';

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)}`);
const num = (n: number | undefined): string => (n === undefined ? '—' : n.toLocaleString('en-US'));

export function formatTable(results: ScenarioResult[], baselineMs: number | undefined): string {
  const header = ['scenario', 'result', 'recipients', 'lost', 'double sends', 'dup-key requests', 'replays', 'finish s', 'vs baseline', 'wall s', 'crashes', 'sent/failed'];
  const rows = results.map((r) => [
    r.name,
    r.status,
    num(r.recipients),
    num(r.lost),
    num(r.doubleSends),
    num(r.duplicateKeyRequests),
    num(r.replays),
    seconds(r.finishMs),
    r.finishMs !== undefined && baselineMs ? `${(r.finishMs / baselineMs).toFixed(1)}×` : '—',
    seconds(r.wallMs),
    num(r.crashes),
    r.audit ? `${num(r.audit.byStatus.sent ?? 0)}/${num(r.audit.byStatus.failed ?? 0)}` : '—',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), ''];
  for (const r of results) {
    if (r.notes.length === 0) continue;
    out.push(`${r.name}:`);
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  return out.join('\n');
}
