/**
 * The dashboard's browser script, served as /admin/assets/dashboard.js (tsc compiles it with the
 * rest; it imports nothing, so the compiled file is all the browser loads). It keeps the
 * server-rendered page current: every second it reads the JSON API (GET /v1 routes, through
 * /admin/api with the page's own credentials) and rewrites the fields marked `data-field`.
 *
 * - list view: the campaign list, then one full read per campaign that can still change (a
 *   finished campaign is read once — its numbers are final);
 * - detail view: the campaign and its sends-per-second timeline, plotted on the <canvas>;
 * - buttons (present only for admin keys): POST /admin/campaigns/:id/<action> with the page's CSRF
 *   token in a header.
 *
 * Text goes into the page through textContent only, never as HTML.
 */

interface Counts {
  [status: string]: number;
}
interface Summary {
  id: string;
  name: string;
  status: string;
  recipient_count: number;
}
interface Campaign extends Summary {
  counts: Counts;
  rate_per_second?: number;
  eta_seconds?: number | null;
  failure_reason: string | null;
  started_at: string | null;
  reasons?: Record<string, Record<string, number>>;
}
interface Timeline {
  until: string;
  buckets: { at: string; sent: number }[];
}

const REFRESH_MS = 1000;
const TERMINAL = ['completed', 'cancelled', 'expired', 'failed'];
const body = document.body;
const apiBase = body.dataset.api ?? '/admin/api';
const canAct = body.dataset.canAct === 'true';
const actionFrom = JSON.parse(body.dataset.actionFrom ?? '{}') as Record<string, string[]>;
const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

// --- formatting (mirrors src/admin/display.ts) ---------------------------------------------------
const sentOf = (c: Counts): number => (c.sent ?? 0) + (c.delivered ?? 0) + (c.read ?? 0);
const settledOf = (c: Counts): number => sentOf(c) + (c.failed ?? 0) + (c.skipped ?? 0) + (c.expired ?? 0) + (c.cancelled ?? 0);
function rate(perSecond: number | undefined): string {
  if (perSecond === undefined) return '–';
  return `${perSecond >= 100 ? Math.round(perSecond) : Math.round(perSecond * 10) / 10}/s`;
}
function eta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const two = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${two(Math.floor((seconds % 3600) / 60))}m`;
}

/** Mirrors reasonLines in src/admin/detail-page.ts. */
function reasonLines(reasons: Campaign['reasons']): string {
  const lines = Object.entries(reasons ?? {}).flatMap(([status, byReason]) =>
    Object.entries(byReason).map(([reason, n]) => `${status.padEnd(8)}  ${reason}  ${n}`),
  );
  return lines.length > 0 ? lines.join('\n') : 'none';
}

// --- I/O -------------------------------------------------------------------------------------------
async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(apiBase + path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(await errorMessage(res));
  return (await res.json()) as T;
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const answer = (await res.json()) as { error?: { code?: string; message?: string } };
    return `${answer.error?.code ?? res.status}: ${answer.error?.message ?? res.statusText}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

function notify(message: string | null): void {
  const notice = document.getElementById('notice');
  if (!notice) return;
  notice.textContent = message ?? '';
  notice.hidden = message === null;
}

// --- rendering into the server's markup ------------------------------------------------------------
function setField(scope: ParentNode, name: string, text: string): void {
  const el = scope.querySelector<HTMLElement>(`[data-field="${name}"]`);
  if (el && el.textContent !== text) el.textContent = text;
}

function setStatus(scope: ParentNode, status: string): void {
  const el = scope.querySelector<HTMLElement>('[data-field="status"]');
  if (!el) return;
  el.textContent = status;
  el.className = `status status-${status}`;
  scope.querySelectorAll<HTMLButtonElement>('button[data-action]').forEach((button) => {
    button.hidden = !(actionFrom[button.dataset.action ?? ''] ?? []).includes(status);
  });
}

function setProgress(scope: ParentNode, c: Campaign): void {
  const bar = scope.querySelector<HTMLProgressElement>('progress[data-field="progress"]');
  if (bar) bar.value = c.recipient_count > 0 ? Math.floor((settledOf(c.counts) / c.recipient_count) * 100) : 0;
}

function showCampaign(scope: ParentNode, c: Campaign): void {
  setStatus(scope, c.status);
  setField(scope, 'sent', String(sentOf(c.counts)));
  setField(scope, 'failed', String(c.counts.failed ?? 0));
  setField(scope, 'total', String(c.recipient_count));
  // A finished campaign's recent rate is history, not a speed: shown as a dash.
  setField(scope, 'rate', rate(TERMINAL.includes(c.status) ? undefined : c.rate_per_second));
  setField(scope, 'eta', eta(c.eta_seconds));
  setProgress(scope, c);
}

function stamp(): void {
  const updated = document.getElementById('updated');
  if (updated) updated.textContent = new Date().toLocaleTimeString();
}

// --- list view -------------------------------------------------------------------------------------
/** Campaigns already read in a final status: their numbers no longer change. */
const settled = new Set<string>();

function rowFor(summary: Summary): HTMLTableRowElement {
  const tbody = document.querySelector('#campaigns tbody');
  const existing = tbody?.querySelector<HTMLTableRowElement>(`tr[data-id="${CSS.escape(summary.id)}"]`);
  if (existing) return existing;
  const template = document.getElementById('campaign-row') as HTMLTemplateElement;
  const row = template.content.firstElementChild!.cloneNode(true) as HTMLTableRowElement;
  row.dataset.id = summary.id;
  const link = row.querySelector<HTMLAnchorElement>('[data-field="link"]')!;
  link.href = `/admin/campaigns/${encodeURIComponent(summary.id)}`;
  link.textContent = summary.name;
  setField(row, 'id', summary.id.slice(0, 8));
  row.querySelectorAll<HTMLButtonElement>('button[data-action]').forEach((b) => (b.dataset.id = summary.id));
  // Newest first, as the list is ordered.
  tbody?.insertBefore(row, tbody.querySelector('tr[data-id]'));
  return row;
}

async function refreshList(): Promise<void> {
  const page = await getJson<{ items: Summary[] }>('/campaigns?limit=50');
  const empty = document.querySelector<HTMLElement>('#campaigns tr.empty');
  if (empty) empty.hidden = page.items.length > 0;
  const moving = page.items.filter((s) => !(settled.has(s.id) && TERMINAL.includes(s.status)));
  for (const summary of [...page.items].reverse()) setStatus(rowFor(summary), summary.status);
  const details = await Promise.all(moving.map((s) => getJson<Campaign>(`/campaigns/${encodeURIComponent(s.id)}`)));
  for (const c of details) {
    showCampaign(rowFor(c), c);
    if (TERMINAL.includes(c.status)) settled.add(c.id);
  }
}

// --- detail view -----------------------------------------------------------------------------------
/** Shortest span the plot shows, so the first seconds of a campaign are not one fat bar. */
const MIN_SPAN_SECONDS = 60;

/**
 * Bars of sends per second, newest on the right. The span is the timeline's window, shortened to
 * the time since the campaign started (at least a minute), so a young campaign fills the plot.
 */
function drawTimeline(canvas: HTMLCanvasElement, timeline: Timeline, startedAt: string | null): void {
  const end = Math.floor(Date.parse(timeline.until) / 1000);
  const reach = Number(canvas.dataset.seconds ?? '300');
  const sinceStart = startedAt ? end - Math.floor(Date.parse(startedAt) / 1000) + 5 : reach;
  const seconds = Math.min(reach, Math.max(MIN_SPAN_SECONDS, sinceStart));
  const perSecond = new Array<number>(seconds).fill(0);
  for (const b of timeline.buckets) {
    const slot = seconds - 1 - (end - Math.floor(Date.parse(b.at) / 1000));
    if (slot >= 0 && slot < seconds) perSecond[slot] = b.sent;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  const pad = { left: 48, right: 8, top: 12, bottom: 24 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...perSecond);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = '#6b7280';
  ctx.strokeStyle = '#d1d5db';
  // Axes with the top value and the time span: enough to read a rate off the plot.
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, pad.top + plotH);
  ctx.lineTo(pad.left + plotW, pad.top + plotH);
  ctx.stroke();
  ctx.textAlign = 'right';
  ctx.fillText(`${max}/s`, pad.left - 6, pad.top + 10);
  ctx.fillText('0', pad.left - 6, pad.top + plotH);
  ctx.textAlign = 'left';
  ctx.fillText(seconds >= 120 ? `-${Math.round(seconds / 60)} min` : `-${seconds} s`, pad.left, height - 6);
  ctx.textAlign = 'right';
  ctx.fillText('now', pad.left + plotW, height - 6);
  ctx.fillStyle = '#2563eb';
  const barW = plotW / seconds;
  perSecond.forEach((n, i) => {
    if (n === 0) return;
    const h = (n / max) * plotH;
    ctx.fillRect(pad.left + i * barW, pad.top + plotH - h, Math.max(1, barW - 0.5), h);
  });
}

async function refreshDetail(id: string): Promise<void> {
  const path = `/campaigns/${encodeURIComponent(id)}`;
  const canvas = document.getElementById('timeline') as HTMLCanvasElement | null;
  const [c, timeline] = await Promise.all([
    getJson<Campaign>(path),
    getJson<Timeline>(`${path}/timeline?seconds=${canvas?.dataset.seconds ?? '300'}`),
  ]);
  showCampaign(document, c);
  setField(document, 'failure_reason', c.failure_reason ?? '–');
  for (const [status, n] of Object.entries(c.counts)) {
    const cell = document.querySelector<HTMLElement>(`[data-count="${CSS.escape(status)}"]`);
    if (cell) cell.textContent = String(n);
  }
  const reasons = document.getElementById('reasons');
  if (reasons) reasons.textContent = reasonLines(c.reasons);
  if (canvas) drawTimeline(canvas, timeline, c.started_at);
}

// --- messages view ---------------------------------------------------------------------------------
interface MessageRow {
  id: string;
  status: string;
  sent_content: string | null;
  reason: string | null;
  sent_at: string | null;
}

/** Rewrites the status cells of the rows on the page (new messages appear on reload). */
async function refreshMessages(): Promise<void> {
  const page = await getJson<{ items: MessageRow[] }>('/messages?limit=50');
  for (const m of page.items) {
    const row = document.querySelector<HTMLTableRowElement>(`#messages tr[data-id="${CSS.escape(m.id)}"]`);
    if (!row) continue;
    const status = row.querySelector<HTMLElement>('[data-field="status"]');
    if (status) {
      status.textContent = m.status;
      status.className = `status status-${m.status}`;
    }
    setField(row, 'sent_content', m.sent_content ?? '–');
    setField(row, 'reason', m.reason ?? '–');
    setField(row, 'sent_at', m.sent_at ?? '–');
  }
}

// --- buttons ---------------------------------------------------------------------------------------
async function act(button: HTMLButtonElement): Promise<void> {
  const { action, id } = button.dataset;
  if (!action || !id) return;
  if (action === 'cancel' && !window.confirm('Cancel this campaign? Recipients not yet sent will not be sent.')) return;
  button.disabled = true;
  try {
    const res = await fetch(`/admin/campaigns/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrf, accept: 'application/json' },
    });
    if (!res.ok) throw new Error(await errorMessage(res));
    notify(null);
    await tick();
  } catch (err) {
    notify(`Could not ${action}: ${(err as Error).message}`);
  } finally {
    button.disabled = false;
  }
}

if (canAct) {
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-action]');
    if (button) void act(button);
  });
}

// --- the refresh loop ------------------------------------------------------------------------------
async function tick(): Promise<void> {
  const id = body.dataset.campaignId;
  if (body.dataset.view === 'detail' && id) await refreshDetail(id);
  else if (body.dataset.view === 'messages') await refreshMessages();
  else await refreshList();
  stamp();
}

/** Whether the notice shows a refresh failure (cleared by the next refresh that works). */
let refreshFailing = false;

/** One refresh at a time: the next starts a second after the last one finished. */
async function loop(): Promise<void> {
  try {
    await tick();
    if (refreshFailing) notify(null);
    refreshFailing = false;
  } catch (err) {
    refreshFailing = true;
    notify(`Refresh failed: ${(err as Error).message}`);
  }
  setTimeout(() => void loop(), REFRESH_MS);
}

void loop();
