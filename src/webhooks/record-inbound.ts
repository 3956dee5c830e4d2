/**
 * What an inbound message changes: the conversation window (always) and the channel's suppression
 * of the number (opt-out / opt-in keywords). One statement each.
 */
import type pg from 'pg';

/**
 * Opens or extends the 24-hour window of (channel, number). `last_inbound_at` only moves forward:
 * a late, out-of-order delivery of an older message cannot shorten a window a newer one opened.
 */
export async function recordConversationWindow(pool: pg.Pool, channelId: string, number: string, at: Date): Promise<void> {
  await pool.query(
    `INSERT INTO conversation_windows (channel_id, number, last_inbound_at)
     VALUES ($1, $2, $3)
     ON CONFLICT (channel_id, number)
     DO UPDATE SET last_inbound_at = GREATEST(conversation_windows.last_inbound_at, EXCLUDED.last_inbound_at)`,
    [channelId, number, at],
  );
}

/**
 * Suppresses `number` on `channelId`. An existing suppression is kept as it is (its reason says
 * why it was first added). @returns true when a suppression was added.
 */
export async function addSuppression(pool: pg.Pool, channelId: string, number: string, reason: string): Promise<boolean> {
  const result = await pool.query(
    `INSERT INTO suppressions (channel_id, number, reason) VALUES ($1, $2, $3)
     ON CONFLICT (channel_id, number) DO NOTHING`,
    [channelId, number, reason],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Lifts this channel's suppression of `number`. A suppression everywhere (channel_id NULL) is an
 * operator's decision and stays. @returns true when one was removed.
 */
export async function removeSuppression(pool: pg.Pool, channelId: string, number: string): Promise<boolean> {
  const result = await pool.query(`DELETE FROM suppressions WHERE channel_id = $1 AND number = $2`, [channelId, number]);
  return (result.rowCount ?? 0) > 0;
}
