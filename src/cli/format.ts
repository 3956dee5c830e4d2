/**
 * What the CLI prints, as plain lines: one campaign's progress, its final tally, the campaign list,
 * a campaign in full, queue health. Pure — the commands print what these return.
 */
import { formatEta, formatRate, percent, sentCount, TERMINAL_STATUSES } from '../admin/display.js';

/** A campaign as GET /v1/campaigns/:id answers (the fields the CLI shows). */
export interface CampaignAnswer {
  id: string;
  name: string;
  channel_id: string;
  status: string;
  content_type: string;
  recipient_count: number;
  counts: Record<string, number>;
  failure_reason: string | null;
  created_at: string;
  launched_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  rate_per_second?: number;
  eta_seconds?: number | null;
  reasons?: Record<string, Record<string, number>>;
}

export interface CampaignSummaryAnswer {
  id: string;
  name: string;
  status: string;
  recipient_count: number;
  created_at: string;
}

export interface QueueHealthAnswer {
  name: string;
  counts: Record<string, number> | null;
  oldest_waiting_age_seconds: number | null;
  error?: string;
}

/** Recipients that reached an end: sent, failed, skipped, expired or cancelled. */
export function settledCount(c: Pick<CampaignAnswer, 'counts'>): number {
  const n = (s: string) => c.counts[s] ?? 0;
  return sentCount(c.counts) + n('failed') + n('skipped') + n('expired') + n('cancelled');
}

/** `running  sent 1200/3000 (40%)  failed 0  rate 200/s  ETA 9s` */
export function progressLine(c: CampaignAnswer): string {
  const sent = sentCount(c.counts);
  return [
    c.status.padEnd(9),
    `sent ${sent}/${c.recipient_count} (${percent(sent, c.recipient_count)}%)`,
    `failed ${c.counts.failed ?? 0}`,
    `rate ${formatRate(TERMINAL_STATUSES.includes(c.status) ? undefined : c.rate_per_second)}`,
    `ETA ${formatEta(c.eta_seconds)}`,
  ].join('  ');
}

/** `campaign <id> completed: 3000 sent, 0 failed, 0 skipped, 0 expired, 0 cancelled (of 3000)` */
export function finalLine(c: CampaignAnswer): string {
  const n = (s: string) => c.counts[s] ?? 0;
  const reason = c.failure_reason ? ` — ${c.failure_reason}` : '';
  return (
    `campaign ${c.id} ${c.status}: ${sentCount(c.counts)} sent, ${n('failed')} failed, ${n('skipped')} skipped, ` +
    `${n('expired')} expired, ${n('cancelled')} cancelled (of ${c.recipient_count})${reason}`
  );
}

/** One line per campaign, columns aligned: id, status, recipients, created, name. */
export function campaignListLines(items: readonly CampaignSummaryAnswer[]): string[] {
  if (items.length === 0) return ['no campaigns'];
  return items.map((c) => `${c.id}  ${c.status.padEnd(9)}  ${String(c.recipient_count).padStart(8)}  ${c.created_at}  ${c.name}`);
}

/** A campaign in full: identity, times, counts per status, progress, reasons. */
export function campaignShowLines(c: CampaignAnswer): string[] {
  const lines = [
    `id          ${c.id}`,
    `name        ${c.name}`,
    `status      ${c.status}${c.failure_reason ? ` (${c.failure_reason})` : ''}`,
    `channel     ${c.channel_id}`,
    `content     ${c.content_type}`,
    `recipients  ${c.recipient_count}`,
    `created     ${c.created_at}`,
    `launched    ${c.launched_at ?? '–'}`,
    `started     ${c.started_at ?? '–'}`,
    `finished    ${c.finished_at ?? '–'}`,
    `progress    ${progressLine(c)}`,
    `counts      ${Object.entries(c.counts).map(([s, n]) => `${s} ${n}`).join(', ')}`,
  ];
  for (const [status, byReason] of Object.entries(c.reasons ?? {})) {
    const entries = Object.entries(byReason);
    if (entries.length > 0) lines.push(`${status.padEnd(12)}${entries.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  return lines;
}

/** One line per queue: counts per state and the oldest waiting job's age. */
export function queueLines(queues: readonly QueueHealthAnswer[]): string[] {
  return queues.map((q) => {
    if (q.counts === null) return `${q.name.padEnd(16)}  unreadable: ${q.error ?? 'unknown error'}`;
    const counts = Object.entries(q.counts).map(([state, n]) => `${state} ${n}`).join('  ');
    return `${q.name.padEnd(16)}  ${counts}  oldest waiting ${q.oldest_waiting_age_seconds ?? 0}s`;
  });
}
