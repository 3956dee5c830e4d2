/**
 * What the CLI prints for one-off messages: the outcome line of `send`, the list, one message in
 * full. Pure.
 */

/** A message as GET /v1/messages/:id answers (the fields the CLI shows). */
export interface MessageAnswer {
  id: string;
  channel_id: string;
  request_id: string | null;
  to: string | null;
  session_id: string | null;
  content_type: string;
  status: string;
  attempts?: number;
  provider_message_id?: string | null;
  sent_content: string | null;
  reason: string | null;
  last_error_code?: string | null;
  last_error_message?: string | null;
  receipts?: { status: string; at: string }[];
  created_at: string;
  sent_at: string | null;
}

/** Statuses a message does not leave by itself (a receipt may still move sent → delivered → read). */
export const SETTLED_MESSAGE_STATUSES: readonly string[] = ['sent', 'delivered', 'read', 'failed', 'skipped', 'expired', 'cancelled'];
export const DELIVERED_MESSAGE_STATUSES: readonly string[] = ['sent', 'delivered', 'read'];

function recipient(m: Pick<MessageAnswer, 'to' | 'session_id'>): string {
  return m.to ?? `session ${m.session_id ?? '?'}`;
}

/** `message <id> sent to +14155550101 (template: window_closed), provider id 10273`. */
export function messageOutcomeLine(m: MessageAnswer): string {
  const what = m.sent_content ? ` (${m.sent_content}${m.reason ? `: ${m.reason}` : ''})` : m.reason ? ` (${m.reason})` : '';
  const error = m.last_error_code ? `, ${m.last_error_code}${m.last_error_message ? `: ${m.last_error_message}` : ''}` : '';
  const provider = m.provider_message_id ? `, provider id ${m.provider_message_id}` : '';
  return `message ${m.id} ${m.status} to ${recipient(m)}${what}${provider}${error}`;
}

/** One line per message: id, status, recipient, content, created, request id. */
export function messageListLines(items: readonly MessageAnswer[]): string[] {
  if (items.length === 0) return ['no messages'];
  return items.map(
    (m) => `${m.id}  ${m.status.padEnd(9)}  ${recipient(m).padEnd(16)}  ${m.content_type.padEnd(11)}  ${m.created_at}  ${m.request_id ?? ''}`,
  );
}

/** A message in full. */
export function messageShowLines(m: MessageAnswer): string[] {
  return [
    `id          ${m.id}`,
    `request id  ${m.request_id ?? '–'}`,
    `channel     ${m.channel_id}`,
    `to          ${recipient(m)}`,
    `content     ${m.content_type}`,
    `status      ${m.status}${m.reason ? ` (${m.reason})` : ''}`,
    `sent        ${m.sent_content ?? '–'}${m.sent_at ? ` at ${m.sent_at}` : ''}`,
    `provider id ${m.provider_message_id ?? '–'}`,
    `attempts    ${m.attempts ?? 0}`,
    ...(m.last_error_code ? [`last error  ${m.last_error_code}${m.last_error_message ? `: ${m.last_error_message}` : ''}`] : []),
    `receipts    ${(m.receipts ?? []).map((r) => `${r.status} ${r.at}`).join(', ') || '–'}`,
    `created     ${m.created_at}`,
  ];
}
