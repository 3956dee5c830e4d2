/**
 * Driving one campaign through a scenario: create it over the API (inline recipients, immediate),
 * watch the ledger directly in Postgres (the API may be the thing that is down), and tell when
 * every recipient has a final outcome.
 */
import { demoName } from '../demo/numbers.js';
import type { Stack } from './infra/stack.js';

export const FINAL_STATUSES = ['sent', 'failed', 'skipped', 'expired'] as const;

export interface CampaignRun {
  id: string;
  recipients: number;
  /** When the API answered the create (the campaign is running from then). */
  startedAt: number;
}

export async function createRunningCampaign(stack: Stack, numbers: string[]): Promise<CampaignRun> {
  const body = {
    name: `chaos ${stack.name}`,
    channel_id: stack.channelId,
    recipient_type: 'input',
    number_list: numbers.map((number, i) => ({ number, variables: { name: demoName(i) } })),
    content_type: 'text',
    content: 'Hi {{name}}, chaos run message.',
    send_type: 'immediately',
  };
  const created = await stack.client.post<{ id: string; status: string; recipient_count: number }>('/v1/campaigns', body);
  if (created.recipient_count !== numbers.length) throw new Error(`campaign created with ${created.recipient_count} of ${numbers.length} recipients`);
  return { id: created.id, recipients: numbers.length, startedAt: Date.now() };
}

/** Recipients by ledger status; undefined while Postgres cannot be reached. */
export async function statusCounts(stack: Stack, campaignId: string): Promise<Record<string, number> | undefined> {
  try {
    const { rows } = await stack.pool.query<{ status: string; n: number }>(
      'SELECT status::text AS status, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY status',
      [campaignId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } catch {
    return undefined;
  }
}

export function finishedCount(counts: Record<string, number>): number {
  return FINAL_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}

/** Resolves once `fraction` of the recipients have a final outcome (for "mid-campaign" faults). */
export async function waitForProgress(stack: Stack, run: CampaignRun, fraction: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(stack, run.id);
    if (counts && finishedCount(counts) >= run.recipients * fraction) return;
    if (Date.now() > deadline) throw new Error(`campaign ${run.id} did not reach ${fraction * 100}% within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every recipient is final; returns the elapsed ms, or undefined at the deadline. */
export async function waitForFinish(stack: Stack, run: CampaignRun, timeoutMs: number): Promise<number | undefined> {
  const deadline = run.startedAt + timeoutMs;
  for (;;) {
    const counts = await statusCounts(stack, run.id);
    if (counts && finishedCount(counts) === run.recipients) return Date.now() - run.startedAt;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 250));
  }
}
