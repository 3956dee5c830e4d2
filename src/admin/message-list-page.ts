/**
 * The one-off message list (/admin/messages): the newest messages with where each stands, which
 * content went out (the message itself, or the fallback template) and why. Rendered by the server;
 * the browser script re-reads the list every second and rewrites the rows' cells (data-field), so
 * a reply can be watched going out. Pure.
 */
import type { MessageSummary } from '../messages/message-view.js';
import { escapeHtml } from './page-layout.js';

const COLUMNS = ['Message', 'To', 'Content', 'Status', 'Sent as', 'Reason', 'Created', 'Sent'] as const;

function cells(m: MessageSummary): string[] {
  return [
    `<span class="mono">${escapeHtml(m.id.slice(0, 8))}</span><div class="muted mono">${escapeHtml(m.request_id ?? '')}</div>`,
    escapeHtml(m.to ?? `session ${m.session_id ?? ''}`),
    escapeHtml(m.content_type),
    `<span class="status status-${escapeHtml(m.status)}" data-field="status">${escapeHtml(m.status)}</span>`,
    `<span data-field="sent_content">${escapeHtml(m.sent_content ?? '–')}</span>`,
    `<span data-field="reason">${escapeHtml(m.reason ?? '–')}</span>`,
    escapeHtml(m.created_at),
    `<span data-field="sent_at">${escapeHtml(m.sent_at ?? '–')}</span>`,
  ];
}

export function renderMessagesMain(messages: readonly MessageSummary[]): string {
  const rows = messages.map((m) => `<tr data-id="${escapeHtml(m.id)}">${cells(m).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  const empty = `<tr class="empty"${messages.length > 0 ? ' hidden' : ''}><td colspan="${COLUMNS.length}">No messages yet.</td></tr>`;
  return `<h1>Messages</h1>
<p class="muted">One-off messages (POST /v1/messages), newest first. They go out in their own lane, ahead of campaign sends.</p>
<table id="messages">
<thead><tr>${COLUMNS.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${empty}
${rows}
</tbody>
</table>`;
}
