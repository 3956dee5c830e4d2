/**
 * Test data made in SQL, so setting up a million recipients takes seconds and is not measured:
 * channels and draft campaigns inserted directly, recipients by `INSERT … SELECT generate_series`.
 * Numbers are distinct valid mobiles (+86 138 nnnn nnnn), each with a `name` variable the content
 * uses, as a CSV upload would leave them.
 */
import type pg from 'pg';

export const BENCH_CONTENT = 'Hi {{name}}, this is a campaign-dispatch benchmark message. Reply STOP to opt out.';
/** Far above anything this box can send, so only the measured limit (if any) binds. */
export const UNLIMITED_RATE = 1_000_000;

export interface SimAccount {
  url: string;
  apiKey: string;
  businessId: string;
}

/**
 * A Connectly SMS channel on the simulator. `ratePerSecond` is the channel's limit; the account
 * limit (Connectly's 200/s default) is lifted so it never binds unnoticed.
 */
export async function createChannel(db: pg.ClientBase, sim: SimAccount, ratePerSecond = UNLIMITED_RATE): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO channels (name, provider, kind, sender_id, rate_per_second, settings, credentials)
     VALUES ('bench', 'connectly', 'sms', '+14155550101', $1, $2, $3) RETURNING id`,
    [ratePerSecond, { baseUrl: sim.url, businessId: sim.businessId, accountRatePerSecond: UNLIMITED_RATE }, { apiKey: sim.apiKey }],
  );
  return rows[0]!.id;
}

/** A draft text campaign with `recipients` pending recipients; returns its id. */
export async function createDraftCampaign(db: pg.ClientBase, channelId: string, recipients: number, name = 'bench'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO campaigns (channel_id, name, recipient_type, content_type, content, send_type, status, recipient_count)
     VALUES ($1, $2, 'input', 'text', $3, 'draft', 'draft', $4) RETURNING id`,
    [channelId, name, BENCH_CONTENT, recipients],
  );
  const id = rows[0]!.id;
  await db.query(
    `INSERT INTO campaign_recipients (campaign_id, number, variables)
     SELECT $1, '+86138' || lpad(g::text, 8, '0'), jsonb_build_object('name', 'Customer ' || g)
       FROM generate_series(1, $2::int) g`,
    [id, recipients],
  );
  return id;
}

/** Fresh statistics and a clean visibility map before a measured run (autovacuum would, later). */
export async function vacuumAnalyze(db: pg.ClientBase): Promise<void> {
  await db.query('VACUUM ANALYZE campaign_recipients, campaigns');
}
