/**
 * The campaign list (/admin): one row per campaign with its status, counts, progress, live send
 * rate and ETA. The server renders the rows it knows from the campaign list; counts, rate and ETA
 * need a ledger read per campaign, which the browser script does (and repeats every second for
 * campaigns that are still moving). A <template> row, rendered by the same function, is what the
 * script clones for campaigns created while the page is open — so the markup is defined here only.
 * Pure.
 */
import type { CampaignSummary } from '../campaigns/campaign-view.js';
import { ACTION_FROM, ADMIN_ACTIONS, ADMIN_PREFIX } from './admin-paths.js';
import { escapeHtml } from './page-layout.js';

const LABELS = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel' } as const;

/** Pause / resume / cancel buttons, each hidden unless the campaign's status allows it. */
export function actionButtons(id: string, status: string): string {
  return ADMIN_ACTIONS.map((action) => {
    const hidden = ACTION_FROM[action].includes(status) ? '' : ' hidden';
    return `<button type="button" class="action action-${action}" data-action="${action}" data-id="${escapeHtml(id)}"${hidden}>${LABELS[action]}</button>`;
  }).join(' ');
}

/** What a row shows before the script's first read; the template row has it empty. */
interface RowData {
  id: string;
  name: string;
  status: string;
  recipient_count: number;
}

function row(c: RowData, canAct: boolean): string {
  const id = escapeHtml(c.id);
  const actions = canAct ? `<td class="actions">${actionButtons(c.id, c.status)}</td>` : '';
  return `<tr data-id="${id}">
<td><a data-field="link" href="${ADMIN_PREFIX}/campaigns/${id}">${escapeHtml(c.name)}</a><div class="muted mono" data-field="id">${id.slice(0, 8)}</div></td>
<td><span class="status status-${escapeHtml(c.status)}" data-field="status">${escapeHtml(c.status)}</span></td>
<td class="num" data-field="sent">–</td>
<td class="num" data-field="failed">–</td>
<td class="num" data-field="total">${c.recipient_count}</td>
<td><progress data-field="progress" max="100" value="0"></progress></td>
<td class="num" data-field="rate">–</td>
<td class="num" data-field="eta">–</td>
${actions}</tr>`;
}

export function renderListMain(campaigns: readonly CampaignSummary[], canAct: boolean): string {
  const numeric = new Set(['Sent', 'Failed', 'Total', 'Rate', 'ETA']);
  const head = ['Campaign', 'Status', 'Sent', 'Failed', 'Total', 'Progress', 'Rate', 'ETA', ...(canAct ? ['Actions'] : [])]
    .map((h) => (numeric.has(h) ? `<th class="num">${h}</th>` : `<th>${h}</th>`))
    .join('');
  const empty = `<tr class="empty"${campaigns.length > 0 ? ' hidden' : ''}><td colspan="${canAct ? 9 : 8}">No campaigns yet.</td></tr>`;
  return `<h1>Campaigns</h1>
<table id="campaigns">
<thead><tr>${head}</tr></thead>
<tbody>
${empty}
${campaigns.map((c) => row(c, canAct)).join('\n')}
</tbody>
</table>
<template id="campaign-row">${row({ id: '', name: '', status: '', recipient_count: 0 }, canAct)}</template>`;
}
