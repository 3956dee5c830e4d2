/**
 * GET /v1/campaigns/:id progress (rate, ETA, reasons) from ledger rows written directly, with the
 * API's clock fixed; and GET /v1/campaigns, newest first, a page at a time.
 */
import type { Prisma } from '../../../src/db/prisma.js';
import { insertChannel } from '../api/api-harness.js';
import { createObservabilityHarness, type ObservabilityHarness } from './observability-harness.js';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

let h: ObservabilityHarness;
let channelId: string;

beforeAll(async () => {
  h = await createObservabilityHarness('obs_progress', { now: () => NOW });
  channelId = await insertChannel(h.db, 'whatsapp');
});
afterAll(async () => {
  await h.close();
});

type Row = Omit<Prisma.RecipientCreateManyInput, 'campaignId' | 'number'>;

async function campaignWith(rows: Row[], campaign: Partial<Prisma.CampaignUncheckedCreateInput> = {}): Promise<string> {
  const { id } = await h.db.prisma.campaign.create({
    data: {
      channelId,
      name: 'progress',
      recipientType: 'input',
      contentType: 'text',
      content: 'hi',
      sendType: 'immediately',
      status: 'running',
      recipientCount: rows.length,
      launchedAt: ago(600),
      startedAt: ago(600),
      ...campaign,
    },
  });
  await h.db.prisma.recipient.createMany({ data: rows.map((r, i) => ({ ...r, campaignId: id, number: `+1555${String(1_000_000 + i)}` })) });
  return id;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

test('a running campaign shows its rate over the last 30 s, the ETA of what is left, and why recipients ended unsent', async () => {
  const id = await campaignWith([
    // 45 sends within the window (sent_at between 0.5 s and 29.5 s ago) → 1.5/s …
    ...times(40, (i) => ({ status: 'sent' as const, sentAt: ago(0.5 + (i % 30)) })),
    ...times(5, (i) => ({ status: 'delivered' as const, sentAt: ago(10 + i), deliveredAt: ago(5) })),
    // … and 20 before it, which do not count.
    ...times(20, (i) => ({ status: 'read' as const, sentAt: ago(31 + i) })),
    // 39 left → 26 s at 1.5/s.
    ...times(30, () => ({ status: 'pending' as const })),
    ...times(5, () => ({ status: 'sending' as const })),
    ...times(4, () => ({ status: 'retrying' as const, lastErrorCode: '429' })),
    ...times(3, () => ({ status: 'skipped' as const, reason: 'suppressed' })),
    ...times(2, () => ({ status: 'skipped' as const, reason: 'window_closed_no_template' })),
    { status: 'failed', lastErrorCode: 'invalid_phone_number', reason: 'provider_permanent', failedAt: ago(40) },
    { status: 'failed', lastErrorCode: '131026', reason: 'provider_permanent', failedAt: ago(40) },
    { status: 'failed', lastErrorCode: '131026', reason: 'provider_permanent', failedAt: ago(40) },
    { status: 'failed', reason: 'retries_exhausted' },
    ...times(2, () => ({ status: 'expired' as const, reason: 'expired' })),
  ]);

  const res = await h.request({ method: 'GET', url: `/v1/campaigns/${id}` });
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(body.counts).toMatchObject({ sent: 40, delivered: 5, read: 20, pending: 30, sending: 5, retrying: 4, skipped: 5, failed: 4, expired: 2 });
  expect(body.rate_per_second).toBe(1.5);
  expect(body.eta_seconds).toBe(26);
  expect(body.started_at).toBe(ago(600).toISOString());
  expect(body.finished_at).toBeNull();
  expect(body.reasons).toEqual({
    skipped: { suppressed: 3, window_closed_no_template: 2 },
    failed: { invalid_phone_number: 1, '131026': 2, retries_exhausted: 1 },
    expired: { expired: 2 },
  });
});

test('a campaign that started less than a window ago is measured since it started', async () => {
  const id = await campaignWith(
    [...times(20, (i) => ({ status: 'sent' as const, sentAt: ago(i * 0.4) })), ...times(100, () => ({ status: 'pending' as const }))],
    { startedAt: ago(10), launchedAt: ago(10) },
  );
  const body = (await h.request({ method: 'GET', url: `/v1/campaigns/${id}` })).json();
  expect(body.rate_per_second).toBe(2);
  expect(body.eta_seconds).toBe(50);
});

test('no ETA for a campaign that is not sending (paused) or is finished, and none before it starts', async () => {
  // Paused 2 s ago: its last sends still show in the rate, but it will not finish at that rate.
  const paused = await campaignWith([...times(3, () => ({ status: 'sent' as const, sentAt: ago(5) })), { status: 'pending' }], {
    status: 'paused',
    pausedAt: ago(2),
  });
  const finished = await campaignWith(times(6, (i) => ({ status: 'sent' as const, sentAt: ago(i + 1) })), {
    status: 'completed',
    finishedAt: ago(0.2),
  });
  const draft = await campaignWith([{ status: 'pending' }], { status: 'draft', sendType: 'draft', startedAt: null, launchedAt: null });

  const p = (await h.request({ method: 'GET', url: `/v1/campaigns/${paused}` })).json();
  expect([p.rate_per_second, p.eta_seconds]).toEqual([0.1, null]);
  const f = (await h.request({ method: 'GET', url: `/v1/campaigns/${finished}` })).json();
  expect(f.rate_per_second).toBe(0.2);
  expect(f.eta_seconds).toBeNull();
  expect(f.finished_at).toBe(ago(0.2).toISOString());
  const d = (await h.request({ method: 'GET', url: `/v1/campaigns/${draft}` })).json();
  expect(d).toMatchObject({ rate_per_second: 0, eta_seconds: null, reasons: { skipped: {}, failed: {}, expired: {} } });
});

describe('GET /v1/campaigns', () => {
  let ids: string[];

  beforeAll(async () => {
    // Five more campaigns, two created in the same millisecond (the id breaks the tie).
    const created = [ago(-50), ago(-40), ago(-40), ago(-30), ago(-20)];
    ids = [];
    for (const [i, createdAt] of created.entries()) {
      const row = await h.db.prisma.campaign.create({
        data: { channelId, name: `list-${i}`, recipientType: 'input', contentType: 'text', sendType: 'draft', status: i % 2 ? 'draft' : 'completed', createdAt },
      });
      ids.push(row.id);
    }
  });

  test('walks every campaign once, newest first, a page at a time', async () => {
    const seen: { id: string; created_at: string }[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/campaigns?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await h.request({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string; created_at: string }[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    const all = await h.db.prisma.campaign.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });
    expect(seen.map((c) => c.id)).toEqual(all.map((c) => c.id));
    expect(seen.slice(0, 5).map((c) => c.id).sort()).toEqual([...ids].sort());
  });

  test('filters by status and rejects a cursor it did not give', async () => {
    const res = await h.request({ method: 'GET', url: '/v1/campaigns?status=draft&limit=50' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { status: string; name: string }[];
    expect(items.every((c) => c.status === 'draft')).toBe(true);
    // list-1 was created 40 s after NOW, list-3 30 s after: newest first.
    expect(items.filter((c) => c.name.startsWith('list-')).map((c) => c.name)).toEqual(['list-1', 'list-3']);

    const bad = await h.request({ method: 'GET', url: '/v1/campaigns?cursor=not-a-cursor' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'cursor' });
    const unauthenticated = await h.app.inject({ method: 'GET', url: '/v1/campaigns' });
    expect(unauthenticated.statusCode).toBe(401);
  });
});
