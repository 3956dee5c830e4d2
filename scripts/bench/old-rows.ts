/**
 * The history a busy ledger carries: `rows` recipient rows of finished campaigns (1,000,000 per
 * campaign), as sending would have left them — status sent, one attempt, a provider message id,
 * sent_at spread over the last 30 days — inserted in SQL, then VACUUM ANALYZE (as autovacuum would
 * eventually do). Returns the seconds it took (not a figure: setup).
 */
import type pg from 'pg';
import { BENCH_CONTENT } from './seed.js';

const ROWS_PER_CAMPAIGN = 1_000_000;

export async function loadOldRows(db: pg.ClientBase, rows: number, say: (m: string) => void): Promise<number> {
  const started = performance.now();
  const { rows: ch } = await db.query<{ id: string }>(
    `INSERT INTO channels (name, provider, kind, sender_id, settings, credentials)
     VALUES ('bench old', 'connectly', 'sms', '+14155550199', '{"businessId":"old","baseUrl":"http://127.0.0.1:9"}', '{"apiKey":"old"}') RETURNING id`,
  );
  for (let done = 0, n = 1; done < rows; n++) {
    const count = Math.min(ROWS_PER_CAMPAIGN, rows - done);
    const { rows: c } = await db.query<{ id: string }>(
      `INSERT INTO campaigns (channel_id, name, recipient_type, content_type, content, send_type, status, recipient_count,
                              fan_out_completed_at, launched_at, started_at, finished_at)
       VALUES ($1, $2, 'input', 'text', $3, 'immediately', 'completed', $4, now(), now(), now(), now()) RETURNING id`,
      [ch[0]!.id, `bench old ${n}`, BENCH_CONTENT, count],
    );
    await db.query(
      `INSERT INTO campaign_recipients (campaign_id, number, variables, status, attempts, provider_message_id, sent_content,
                                        created_at, updated_at, sent_at)
       SELECT $1::uuid, '+86139' || lpad(g::text, 8, '0'), jsonb_build_object('name', 'Customer ' || g), 'sent', 1,
              md5($3 || g::text), 'session', t, t, t
         FROM generate_series(1, $2::int) g, LATERAL (SELECT now() - (g % 2592000) * interval '1 second') AS s(t)`,
      [c[0]!.id, count, c[0]!.id],
    );
    done += count;
    say(`ledger: ${done.toLocaleString('en-US')} / ${rows.toLocaleString('en-US')} old rows`);
  }
  await db.query('VACUUM ANALYZE campaign_recipients, campaigns');
  return (performance.now() - started) / 1000;
}
