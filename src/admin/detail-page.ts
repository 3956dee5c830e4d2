/**
 * One campaign (/admin/campaigns/:id): status, counts per recipient status, rate, ETA, the reasons
 * recipients ended unsent, and a plot of sends per second over the last five minutes (drawn by
 * the browser script on the <canvas> from GET /v1/campaigns/:id/timeline). Rendered complete from
 * the campaign as read now; the script refreshes every field in place. Pure.
 */
import type { CampaignView } from '../campaigns/campaign-view.js';
import { DEFAULT_TIMELINE_SECONDS } from './campaign-timeline.js';
import { actionButtons } from './list-page.js';
import { escapeHtml } from './page-layout.js';
import { formatEta, formatRate, percent, sentCount, TERMINAL_STATUSES } from './display.js';

function field(label: string, name: string, value: string | number): string {
  return `<div><dt>${label}</dt><dd data-field="${name}">${escapeHtml(String(value))}</dd></div>`;
}

/** `failed  PROVIDER_PERMANENT  12`, one line per reason; `none` when every recipient went out. */
export function reasonLines(reasons: Readonly<Record<string, Readonly<Record<string, number>>>> | undefined): string {
  const lines = Object.entries(reasons ?? {}).flatMap(([status, byReason]) =>
    Object.entries(byReason).map(([reason, n]) => `${status.padEnd(8)}  ${reason}  ${n}`),
  );
  return lines.length > 0 ? lines.join('\n') : 'none';
}

export function renderDetailMain(c: CampaignView, canAct: boolean): string {
  const sent = sentCount(c.counts);
  const settled = sent + c.counts.failed + c.counts.skipped + c.counts.expired + c.counts.cancelled;
  const countCells = Object.entries(c.counts)
    .map(([status, n]) => `<td class="num" data-count="${escapeHtml(status)}">${n}</td>`)
    .join('');
  const countHeads = Object.keys(c.counts).map((s) => `<th class="num">${escapeHtml(s)}</th>`).join('');
  return `<h1>${escapeHtml(c.name)} <span class="status status-${escapeHtml(c.status)}" data-field="status">${escapeHtml(c.status)}</span></h1>
<p class="muted mono">${escapeHtml(c.id)} · ${escapeHtml(c.content_type)} · channel ${escapeHtml(c.channel_id)}</p>
${canAct ? `<p class="actions">${actionButtons(c.id, c.status)}</p>` : ''}
<dl class="facts">
${field('Sent', 'sent', sent)}
${field('Failed', 'failed', c.counts.failed)}
${field('Recipients', 'total', c.recipient_count)}
${field('Rate', 'rate', formatRate(TERMINAL_STATUSES.includes(c.status) ? undefined : c.rate_per_second))}
${field('ETA', 'eta', formatEta(c.eta_seconds))}
${field('Failure reason', 'failure_reason', c.failure_reason ?? '–')}
</dl>
<progress data-field="progress" max="100" value="${percent(settled, c.recipient_count)}"></progress>
<h2>Sends per second (up to the last ${DEFAULT_TIMELINE_SECONDS / 60} minutes)</h2>
<canvas id="timeline" width="960" height="240" data-seconds="${DEFAULT_TIMELINE_SECONDS}">Sends per second over time.</canvas>
<h2>Recipients by status</h2>
<table id="counts"><thead><tr>${countHeads}</tr></thead><tbody><tr>${countCells}</tr></tbody></table>
<h2>Why recipients ended unsent</h2>
<pre id="reasons" class="mono">${escapeHtml(reasonLines(c.reasons))}</pre>`;
}
