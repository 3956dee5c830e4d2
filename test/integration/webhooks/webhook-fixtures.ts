/**
 * Setup shared by the webhook integration tests: a Fastify app with only the webhook plugin on the
 * test file's schema, and channels / ledger rows written with plain SQL (the tests own their data).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { ProviderName } from '../../../src/providers/types.js';
import { registerWebhookRoutes } from '../../../src/webhooks/index.js';
import { testLogger } from '../../fixtures/test-logger.js';
import type { TestDatabase } from '../../helpers/database.js';

export async function buildWebhookApp(db: TestDatabase, now?: () => Date): Promise<FastifyInstance> {
  const app = Fastify();
  await registerWebhookRoutes(app, { pool: db.pool, prisma: db.prisma, log: testLogger(), now });
  await app.ready();
  return app;
}

export interface TestChannel {
  provider: ProviderName;
  kind?: 'sms' | 'whatsapp' | 'facebook';
  senderId?: string;
  settings?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
}

export async function insertChannel(pool: pg.Pool, channel: TestChannel): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO channels (name, provider, kind, sender_id, settings, credentials)
     VALUES ('webhook-test', $1, $2, $3, $4, $5) RETURNING id::text AS id`,
    [channel.provider, channel.kind ?? 'whatsapp', channel.senderId ?? '+14151111234', channel.settings ?? {}, channel.credentials ?? {}],
  );
  return rows[0]!.id;
}

export async function insertCampaign(pool: pg.Pool, channelId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO campaigns (channel_id, name, recipient_type, content_type, content, send_type, status)
     VALUES ($1, 'webhook-test', 'input', 'text', 'hi', 'immediately', 'running') RETURNING id::text AS id`,
    [channelId],
  );
  return rows[0]!.id;
}

export interface LedgerRow {
  id: string;
  number: string;
  status: string;
  provider_message_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  reason: string | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
}

/** A ledger row as the dispatch leaves it after an accepted send (status sent, provider id set). */
export async function insertRecipient(
  pool: pg.Pool,
  campaignId: string,
  row: { number: string; status?: string; providerMessageId?: string | null },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO campaign_recipients (campaign_id, number, status, provider_message_id, sent_at, attempts)
     VALUES ($1, $2, $3::"RecipientStatus", $4, now(), 1) RETURNING id::text AS id`,
    [campaignId, row.number, row.status ?? 'sent', row.providerMessageId ?? null],
  );
  return rows[0]!.id;
}

export async function setProviderMessageId(pool: pg.Pool, recipientId: string, providerMessageId: string): Promise<void> {
  await pool.query(`UPDATE campaign_recipients SET status = 'sent', provider_message_id = $2, sent_at = now() WHERE id = $1`, [recipientId, providerMessageId]);
}

export async function ledgerRow(pool: pg.Pool, id: string): Promise<LedgerRow> {
  const { rows } = await pool.query<LedgerRow>(
    `SELECT id::text AS id, number, status::text AS status, provider_message_id, last_error_code, last_error_message, reason,
            delivered_at, read_at, failed_at
       FROM campaign_recipients WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}

export async function windowOf(pool: pg.Pool, channelId: string, number: string): Promise<Date | undefined> {
  const { rows } = await pool.query<{ at: Date }>(`SELECT last_inbound_at AS at FROM conversation_windows WHERE channel_id = $1 AND number = $2`, [
    channelId,
    number,
  ]);
  return rows[0]?.at;
}

export async function suppressionsOf(pool: pg.Pool, number: string): Promise<{ channel_id: string | null; reason: string }[]> {
  const { rows } = await pool.query<{ channel_id: string | null; reason: string }>(
    `SELECT channel_id::text AS channel_id, reason FROM suppressions WHERE number = $1 ORDER BY id`,
    [number],
  );
  return rows;
}

/** Everything a webhook could change, for "nothing changed" assertions. */
export async function snapshot(pool: pg.Pool): Promise<unknown> {
  const [ledger, windows, suppressions] = await Promise.all([
    pool.query(`SELECT id, status, delivered_at, read_at, failed_at, last_error_code FROM campaign_recipients ORDER BY id`),
    pool.query(`SELECT * FROM conversation_windows ORDER BY channel_id, number`),
    pool.query(`SELECT channel_id, number, reason FROM suppressions ORDER BY id`),
  ]);
  return { ledger: ledger.rows, windows: windows.rows, suppressions: suppressions.rows };
}
