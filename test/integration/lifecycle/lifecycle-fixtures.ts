/**
 * Shared setup of the lifecycle tests: campaigns put into any status with plain SQL (the tests own
 * their data), recipients in chosen statuses, and the launch jobs a campaign has in the queue.
 */
import type pg from 'pg';
import type { Job } from 'bullmq';
import type { CampaignStatus } from '../../../src/campaigns/status-machine.js';
import type { ApiHarness } from '../api/api-harness.js';

export interface CampaignSetup {
  status: CampaignStatus;
  sendTime?: Date | null;
  expiresAt?: Date | null;
  /** Recipient statuses, one row each, numbered +1415555xxxx from 0. */
  recipients?: string[];
  enqueueCursor?: number;
  fanOutCompleted?: boolean;
}

export function lcNumber(i: number): string {
  return `+1415555${String(1000 + i).padStart(4, '0')}`;
}

export async function insertCampaign(pool: pg.Pool, channelId: string, setup: CampaignSetup): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO campaigns (channel_id, name, recipient_type, content_type, content, send_type, send_time, status,
                            expires_at, enqueue_cursor, fan_out_completed_at, recipient_count)
     VALUES ($1, 'lifecycle', 'input', 'text', 'hi {{name}}', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      channelId,
      setup.status === 'draft' ? 'draft' : setup.sendTime ? 'schedule' : 'immediately',
      setup.sendTime ?? null,
      setup.status,
      setup.expiresAt ?? null,
      setup.enqueueCursor ?? 0,
      setup.fanOutCompleted ? new Date() : null,
      setup.recipients?.length ?? 0,
    ],
  );
  const id = rows[0]!.id;
  const statuses = setup.recipients ?? [];
  if (statuses.length > 0) {
    await pool.query(
      `INSERT INTO campaign_recipients (campaign_id, number, variables, status)
       SELECT $1, n, jsonb_build_object('name', 'N' || i), s::"RecipientStatus"
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(n, s, i)`,
      [id, statuses.map((_, i) => lcNumber(i)), statuses],
    );
  }
  return id;
}

export async function campaignRow(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{
    status: string;
    paused_at: Date | null;
    cancelled_at: Date | null;
    finished_at: Date | null;
    enqueue_cursor: string;
    fan_out_completed_at: Date | null;
    send_type: string;
    send_time: Date | null;
    expires_at: Date | null;
    name: string;
  }>('SELECT * FROM campaigns WHERE id = $1', [id]);
  return rows[0]!;
}

export async function recipientStatuses(pool: pg.Pool, id: string): Promise<{ number: string; status: string; reason: string | null }[]> {
  const { rows } = await pool.query<{ number: string; status: string; reason: string | null }>(
    'SELECT number, status, reason FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id',
    [id],
  );
  return rows;
}

/** The campaign's launch jobs still in the queue (waiting, delayed or active). */
export async function launchJobsOf(h: ApiHarness, id: string): Promise<Job[]> {
  const jobs = await h.queues.launch.getJobs(['waiting', 'delayed', 'active', 'prioritized'], 0, 1000);
  return jobs.filter((j) => j.data.campaignId === id);
}
