import type pg from 'pg';

/**
 * Adds `number` to the channel's suppressions because the provider said the customer opted out
 * (Connectly CUSTOMER_OPTED_OUT). An existing suppression is kept as it is. One statement.
 */
export async function suppressOptedOut(pool: pg.Pool, channelId: string, number: string): Promise<void> {
  await pool.query(
    `INSERT INTO suppressions (channel_id, number, reason) VALUES ($1, $2, 'provider_opted_out')
     ON CONFLICT (channel_id, number) DO NOTHING`,
    [channelId, number],
  );
}
