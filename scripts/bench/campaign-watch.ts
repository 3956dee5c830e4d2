/** Polling a campaign's row from the bench's control connection (a primary-key read every 200 ms). */
import type pg from 'pg';
import { sleep } from './processes.js';

export interface CampaignTimes {
  status: string;
  launchedAt: Date | null;
  fanOutCompletedAt: Date | null;
  finishedAt: Date | null;
}

export async function campaignTimes(db: pg.ClientBase, id: string): Promise<CampaignTimes> {
  const { rows } = await db.query<{ status: string; launched_at: Date | null; fan_out_completed_at: Date | null; finished_at: Date | null }>(
    'SELECT status, launched_at, fan_out_completed_at, finished_at FROM campaigns WHERE id = $1',
    [id],
  );
  const r = rows[0];
  if (!r) throw new Error(`campaign ${id} is gone`);
  return { status: r.status, launchedAt: r.launched_at, fanOutCompletedAt: r.fan_out_completed_at, finishedAt: r.finished_at };
}

/** Polls until `done(times)`; throws on timeout or when `check` throws (a dead service). */
export async function waitCampaign(
  db: pg.ClientBase,
  id: string,
  done: (t: CampaignTimes) => boolean,
  options: { timeoutMs: number; check: () => void; everyMs?: number },
): Promise<CampaignTimes> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.check();
    const times = await campaignTimes(db, id);
    if (done(times)) return times;
    if (Date.now() > deadline) throw new Error(`campaign ${id} did not get there within ${Math.round(options.timeoutMs / 1000)} s (status ${times.status})`);
    await sleep(options.everyMs ?? 200);
  }
}

export async function statusCounts(db: pg.ClientBase, id: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY status',
    [id],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
