/**
 * Shared setup of the dispatch integration tests: ledger rows written with plain SQL (the tests own
 * their data; no API involved), a polling wait on the database, and an in-process worker runtime on
 * the test file's schema and queue prefix.
 */
import type pg from 'pg';
import { createLogger } from '../../../src/observability/logger.js';
import { loadConfig } from '../../../src/config/config.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import { createWorkerRuntime, type WorkerConfig, type WorkerRuntime } from '../../../workers/runtime.js';
import type { TestDatabase } from '../../helpers/database.js';
import type { TestRedis } from '../../helpers/redis.js';

export const silentLog = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });

export interface ChannelRow {
  provider: 'yeastar' | 'connectly';
  kind: 'sms' | 'whatsapp' | 'facebook';
  senderId: string;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
  /** Default 1,000: tests of other things should not wait on rate limits. */
  ratePerSecond?: number;
  /** Default null (the kind's default: 6 s on WhatsApp). */
  pairGapMs?: number | null;
}

export async function insertChannel(pool: pg.Pool, channel: ChannelRow): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO channels (name, provider, kind, sender_id, settings, credentials, rate_per_second, pair_gap_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      `${channel.provider}-test`,
      channel.provider,
      channel.kind,
      channel.senderId,
      channel.settings,
      channel.credentials,
      channel.ratePerSecond ?? 1000,
      channel.pairGapMs ?? null,
    ],
  );
  return rows[0]!.id;
}

export interface CampaignRow {
  channelId: string;
  status?: 'draft' | 'scheduled' | 'running';
  contentType?: 'text' | 'document' | 'template';
  content?: string | null;
  msgParam?: unknown;
  sendTime?: Date | null;
  expiresAt?: Date | null;
  maxAttempts?: number;
  maxRetrySeconds?: number;
  messageTag?: string | null;
}

export async function insertCampaign(pool: pg.Pool, campaign: CampaignRow): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO campaigns (channel_id, name, recipient_type, content_type, content, msg_param, send_type, send_time, status,
                            expires_at, max_attempts, max_retry_seconds, message_tag)
     VALUES ($1, 'dispatch-test', 'input', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      campaign.channelId,
      campaign.contentType ?? 'text',
      campaign.content ?? null,
      campaign.msgParam === undefined ? null : JSON.stringify(campaign.msgParam),
      campaign.sendTime ? 'schedule' : 'immediately',
      campaign.sendTime ?? null,
      campaign.status ?? 'scheduled',
      campaign.expiresAt ?? null,
      campaign.maxAttempts ?? 8,
      campaign.maxRetrySeconds ?? 3600,
      campaign.messageTag ?? null,
    ],
  );
  return rows[0]!.id;
}

/** The i-th test number (E.164, US 555 range). */
export function testNumber(i: number): string {
  return `+1415${String(5_000_000 + i).padStart(7, '0')}`;
}

/** Default variables of recipient g: `{ name: 'N<g>' }` (SQL over the series variable `g`). */
export const NAME_VARIABLES = `jsonb_build_object('name', 'N' || g)`;

/** Inserts `count` pending recipients numbered from `testNumber(first)`; `variablesSql` is trusted SQL. */
export async function insertRecipients(
  pool: pg.Pool,
  campaignId: string,
  count: number,
  first = 0,
  variablesSql = NAME_VARIABLES,
): Promise<void> {
  await pool.query(
    `INSERT INTO campaign_recipients (campaign_id, number, variables)
     SELECT $1, '+1415' || lpad((5000000 + g)::text, 7, '0'), ${variablesSql}
       FROM generate_series($2::int, $3::int) AS g`,
    [campaignId, first, first + count - 1],
  );
  await pool.query('UPDATE campaigns SET recipient_count = recipient_count + $2 WHERE id = $1', [campaignId, count]);
}

export interface RecipientRow {
  id: string;
  number: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  sent_content: string | null;
  reason: string | null;
}

export async function recipientsOf(pool: pg.Pool, campaignId: string): Promise<RecipientRow[]> {
  const { rows } = await pool.query<RecipientRow>(
    `SELECT id, number, status, attempts, provider_message_id, last_error_code, last_error_message, sent_content, reason
       FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id`,
    [campaignId],
  );
  return rows;
}

export async function campaignStatus(pool: pg.Pool, campaignId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
  return rows[0]?.status;
}

/** Polls until `check` returns true; fails with `what` after `timeoutMs` (generous: CI has 2 cores). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitForCampaignCompleted(pool: pg.Pool, campaignId: string, timeoutMs?: number): Promise<void> {
  await waitFor(`campaign ${campaignId} to complete`, async () => (await campaignStatus(pool, campaignId)) === 'completed', timeoutMs);
}

/** Opens the 24-hour window of (channel, number) in the ledger, as an inbound webhook would. */
export async function openWindow(pool: pg.Pool, channelId: string, number: string, at = new Date()): Promise<void> {
  await pool.query(
    `INSERT INTO conversation_windows (channel_id, number, last_inbound_at) VALUES ($1, $2, $3)
     ON CONFLICT (channel_id, number) DO UPDATE SET last_inbound_at = EXCLUDED.last_inbound_at`,
    [channelId, number, at],
  );
}

/**
 * An in-process worker runtime on the test file's schema and queue prefix, with the default
 * delivery config (config.ts) unless `overrides` says otherwise.
 */
export async function startRuntime(
  db: TestDatabase,
  redis: TestRedis,
  concurrency = Number(process.env.TEST_WORKER_CONCURRENCY ?? 50),
  overrides: Partial<WorkerConfig> = {},
): Promise<WorkerRuntime> {
  return createWorkerRuntime({
    config: {
      ...loadConfig({}),
      databaseUrl: db.url,
      redisUrl: redis.url,
      queuePrefix: redis.prefix,
      workerConcurrency: concurrency,
      userAgent: 'campaign-dispatch-test/0.1',
      ...overrides,
    },
    log: silentLog,
    // Many runtimes per jest process: leave the process metrics out of their registries.
    registry: createMetricsRegistry({ service: 'worker', processMetrics: false }),
  });
}
