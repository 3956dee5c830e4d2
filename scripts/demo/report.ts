/** The summary printed at the end of the demo. */
import type { CampaignResult } from './results.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  const line = (r: string[]) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const [head, ...body] = rows;
  return [line(head!), rule, ...body.slice(0, -1).map(line), rule, line(body[body.length - 1]!)].join('\n');
}

const int = (n: number) => n.toLocaleString('en-US');

export function formatSummary(results: CampaignResult[]): string {
  const totalSent = results.reduce((s, r) => s + r.sent, 0);
  const start = Math.min(...results.map((r) => r.startMs));
  const end = Math.max(...results.map((r) => r.endMs));
  const totalWall = Math.max(0.001, (end - start) / 1000);
  const rows = [
    ['campaign', 'recipients', 'sent', 'failed', 'wall time', 'msg/s'],
    ...results.map((r) => [r.label, int(r.recipients), int(r.sent), int(r.failed), `${r.wallSeconds.toFixed(1)} s`, (r.sent / r.wallSeconds).toFixed(0)]),
    [
      'total (concurrently)',
      int(results.reduce((s, r) => s + r.recipients, 0)),
      int(totalSent),
      int(results.reduce((s, r) => s + r.failed, 0)),
      `${totalWall.toFixed(1)} s`,
      (totalSent / totalWall).toFixed(0),
    ],
  ];
  const checks = results.map((r) => {
    const s = r.simulator;
    const detail = [
      `${int(s.accepted)} accepted`,
      `${int(s.distinctIdempotencyKeys)} distinct idempotency keys`,
      `ledger sent ${int(r.sent)}`,
      `${int(s.duplicateRecipients)} recipients with duplicates (${int(s.extraSends)} extra sends)`,
      `${int(s.missing)} missing`,
      ...(s.strangers ? [`${int(s.strangers)} to unknown numbers`] : []),
      `${int(s.dedupedRetries)} retries deduplicated by the simulator`,
    ].join(', ');
    return `  ${r.exactlyOnce ? 'PASS' : 'FAIL'}  ${r.label}: ${detail}`;
  });
  return [
    table(rows),
    '',
    'Wall time runs from launch to the last recipient settled (ledger timestamps).',
    '',
    'Check: the simulator accepted exactly one send per recipient',
    ...checks,
  ].join('\n');
}
