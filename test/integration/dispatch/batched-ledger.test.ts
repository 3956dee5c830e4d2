/**
 * The batched send-path statements on a real Postgres: one statement claims (or records) many rows,
 * each under exactly the guards and options of its single-row twin; a row another transaction holds
 * is handed back `contended` at once (the batch never waits for a lock) and the ledger then writes
 * it alone, waiting as the single-row statement always did.
 */
import type pg from 'pg';
import { claimRecipient, claimRecipients } from '../../../src/dispatch/recipient-claim.js';
import { recordSentBatch } from '../../../src/dispatch/recipient-outcome.js';
import { createBatchedSendLedger } from '../../../src/dispatch/send-ledger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { insertCampaign, insertChannel, insertRecipients, openWindow, testNumber } from './fixtures.js';

describe('batched ledger statements', () => {
  let db: TestDatabase;
  let channelId: string;

  beforeAll(async () => {
    db = await createTestDatabase('batched_ledger');
    channelId = await insertChannel(db.pool, {
      provider: 'connectly',
      kind: 'whatsapp',
      senderId: '+15550100001',
      settings: { baseUrl: 'http://127.0.0.1:9' },
      credentials: { apiKey: 'k' },
    });
  });

  afterAll(async () => {
    await db?.close();
  });

  /** A running campaign with `count` pending recipients; their ids in order. */
  async function campaignWith(count: number, status: 'running' | 'scheduled' = 'running'): Promise<{ campaignId: string; ids: string[] }> {
    const campaignId = await insertCampaign(db.pool, { channelId, status });
    const first = Math.floor(Math.random() * 1_000_000);
    await insertRecipients(db.pool, campaignId, count, first);
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM campaign_recipients WHERE campaign_id = $1 ORDER BY id', [campaignId]);
    return { campaignId, ids: rows.map((r) => r.id) };
  }

  async function row(id: string) {
    const { rows } = await db.pool.query<{ status: string; attempts: number; lease_s: number | null; provider_message_id: string | null; sent_content: string | null; reason: string | null }>(
      `SELECT status, attempts, claim_run, round(extract(epoch FROM lease_expires_at - now()))::int AS lease_s, provider_message_id,
              sent_content::text, reason
         FROM campaign_recipients WHERE id = $1`,
      [id],
    );
    return rows[0]!;
  }

  /** Holds a row lock in another transaction until `release` is called. */
  async function holdRow(id: string): Promise<{ release(): Promise<void> }> {
    const client: pg.PoolClient = await db.pool.connect();
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM campaign_recipients WHERE id = $1 FOR UPDATE', [id]);
    return {
      async release() {
        await client.query('COMMIT');
        client.release();
      },
    };
  }

  it('claims each row under its own guards and options, in one statement', async () => {
    const { ids } = await campaignWith(5);
    const [fresh, done, leased, reclaim, longLease] = ids as [string, string, string, string, string];
    await db.pool.query(`UPDATE campaign_recipients SET status = 'sent' WHERE id = $1`, [done]);
    await db.pool.query(`UPDATE campaign_recipients SET status = 'sending', attempts = 1, lease_expires_at = now() + interval '1 minute' WHERE id = ANY($1::bigint[])`, [
      [leased, reclaim],
    ]);
    const suppressedNumber = (await db.pool.query<{ number: string }>('SELECT number FROM campaign_recipients WHERE id = $1', [fresh])).rows[0]!.number;
    await db.pool.query(`INSERT INTO suppressions (channel_id, number, reason) VALUES (NULL, $1, 'test')`, [suppressedNumber]);
    const windowNumber = (await db.pool.query<{ number: string }>('SELECT number FROM campaign_recipients WHERE id = $1', [longLease])).rows[0]!.number;
    const inboundAt = new Date(Date.now() - 60_000);
    await openWindow(db.pool, channelId, windowNumber, inboundAt);

    const results = await claimRecipients(db.pool, [
      { recipientId: fresh, previousRunEnded: false, run: 1 },
      { recipientId: done, previousRunEnded: true, run: 2 },
      { recipientId: leased, previousRunEnded: false, run: 1 },
      { recipientId: reclaim, previousRunEnded: true, run: 2 },
      { recipientId: longLease, previousRunEnded: false, run: 1, leaseSeconds: 600 },
    ]);

    expect(results.map((r) => (r.kind === 'done' ? (r.claim ? 'claimed' : 'null') : r.kind))).toEqual(['claimed', 'null', 'null', 'claimed', 'claimed']);
    const claim = (i: number) => (results[i] as { kind: 'done'; claim: { id: string; attempts: number; suppressed: boolean; lastInboundAt: Date | null } }).claim;
    expect(claim(0)).toMatchObject({ id: fresh, attempts: 1, suppressed: true, lastInboundAt: null });
    expect(claim(3)).toMatchObject({ id: reclaim, attempts: 2, suppressed: false });
    expect(claim(4).lastInboundAt?.getTime()).toBe(inboundAt.getTime());
    expect(await row(fresh)).toMatchObject({ status: 'sending', attempts: 1, lease_s: 60 });
    expect(await row(longLease)).toMatchObject({ status: 'sending', lease_s: 600 });
    expect(await row(done)).toMatchObject({ status: 'sent', attempts: 0 });
    expect(await row(leased)).toMatchObject({ status: 'sending', attempts: 1 });
  });

  it('lets a run take over a live claim only from an earlier run of its job (claim_run)', async () => {
    const { ids } = await campaignWith(2);
    const [a, b] = ids as [string, string];
    // Run 2 of each job holds a live claim (run 1 lost its lock; the stalled checker re-ran the job).
    await db.pool.query(
      `UPDATE campaign_recipients SET status = 'sending', attempts = 1, claim_run = 2, lease_expires_at = now() + interval '1 minute' WHERE id = ANY($1::bigint[])`,
      [[a, b]],
    );
    // Run 1 wakes up believing it is the latest run: neither statement lets it take the row back.
    expect(await claimRecipient(db.pool, a, { previousRunEnded: true, run: 1 })).toBeNull();
    expect(await claimRecipients(db.pool, [{ recipientId: b, previousRunEnded: true, run: 1 }])).toEqual([{ kind: 'done', claim: null }]);
    expect(await row(a)).toMatchObject({ status: 'sending', attempts: 1, claim_run: 2 });
    // A plain retry after run 2 failed (run 3) takes it at once.
    expect(await claimRecipient(db.pool, a, { previousRunEnded: true, run: 3 })).toMatchObject({ id: a, attempts: 2 });
    expect(await claimRecipients(db.pool, [{ recipientId: b, previousRunEnded: true, run: 3 }])).toMatchObject([{ kind: 'done', claim: { id: b, attempts: 2 } }]);
    expect(await row(b)).toMatchObject({ claim_run: 3 });
  });

  it('claims nothing of a campaign that is not running', async () => {
    const { ids } = await campaignWith(2, 'scheduled');
    const results = await claimRecipients(db.pool, ids.map((recipientId) => ({ recipientId, previousRunEnded: false, run: 1 })));
    expect(results).toEqual([
      { kind: 'done', claim: null },
      { kind: 'done', claim: null },
    ]);
    expect((await row(ids[0]!)).status).toBe('pending');
  });

  it('hands back a row held by another transaction, and a recipient twice in one batch, as contended', async () => {
    const { ids } = await campaignWith(3);
    const [free, held, twice] = ids as [string, string, string];
    const lock = await holdRow(held);
    try {
      const results = await claimRecipients(db.pool, [
        { recipientId: free, previousRunEnded: false, run: 1 },
        { recipientId: held, previousRunEnded: false, run: 1 },
        { recipientId: twice, previousRunEnded: false, run: 1 },
        { recipientId: twice, previousRunEnded: true, run: 2 },
        { recipientId: '999999999999', previousRunEnded: false, run: 1 },
      ]);
      expect(results.map((r) => (r.kind === 'done' ? (r.claim ? 'claimed' : 'null') : r.kind))).toEqual([
        'claimed',
        'contended',
        'claimed',
        'contended',
        'contended',
      ]);
      expect((await row(held)).status).toBe('pending');
    } finally {
      await lock.release();
    }
  });

  it('records each sent row with its own values; a row not in sending is not ours', async () => {
    const { ids } = await campaignWith(3);
    const [a, b, notOurs] = ids as [string, string, string];
    await db.pool.query(`UPDATE campaign_recipients SET status = 'sending', attempts = 1 WHERE id = ANY($1::bigint[])`, [[a, b]]);
    const results = await recordSentBatch(db.pool, [
      { recipientId: a, providerMessageId: 'm-a', sentContent: 'session' },
      { recipientId: b, providerMessageId: 'm-b', sentContent: 'template', reason: 'window_closed' },
      { recipientId: notOurs, providerMessageId: 'm-c', sentContent: 'session' },
      { recipientId: a, providerMessageId: 'm-a2', sentContent: 'session' },
    ]);
    expect(results).toEqual([{ kind: 'done', mine: true }, { kind: 'done', mine: true }, { kind: 'done', mine: false }, { kind: 'contended' }]);
    expect(await row(a)).toMatchObject({ status: 'sent', provider_message_id: 'm-a', sent_content: 'session', reason: null, lease_s: null });
    expect(await row(b)).toMatchObject({ status: 'sent', provider_message_id: 'm-b', sent_content: 'template', reason: 'window_closed' });
    expect(await row(notOurs)).toMatchObject({ status: 'pending', provider_message_id: null });
  });

  it('the batched ledger answers every concurrent caller, waiting for a held row like a single-row statement', async () => {
    const { campaignId, ids } = await campaignWith(20);
    await db.pool.query('UPDATE campaigns SET fan_out_completed_at = now() WHERE id = $1', [campaignId]);
    const ledger = createBatchedSendLedger(db.pool);
    try {
      const held = ids[7]!;
      const lock = await holdRow(held);
      const claims = ids.map((id) => ledger.claim(id, { previousRunEnded: false, run: 1 }));
      const others = await Promise.all(claims.filter((_, i) => i !== 7));
      expect(others.map((c) => c?.id)).toEqual(ids.filter((id) => id !== held));
      await lock.release();
      expect((await claims[7])?.id).toBe(held);

      const twice = await Promise.all([ledger.claim(ids[0]!, { previousRunEnded: false, run: 1 }), ledger.claim(ids[0]!, { previousRunEnded: false, run: 1 })]);
      expect(twice).toEqual([null, null]); // already sending under a live lease

      const sent = await Promise.all(ids.map((id, i) => ledger.recordSent(id, { providerMessageId: `m-${i}`, sentContent: 'session' })));
      expect(sent.every(Boolean)).toBe(true);
      expect(await ledger.recordSent(ids[0]!, { providerMessageId: 'again', sentContent: 'session' })).toBe(false);

      const checks = await Promise.all(ids.map(() => ledger.completeCampaignIfDone(campaignId)));
      expect(checks.some(Boolean)).toBe(true);
      const { rows } = await db.pool.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
      expect(rows[0]!.status).toBe('completed');
    } finally {
      await ledger.close();
    }
    await expect(ledger.claim(ids[0]!, { previousRunEnded: false, run: 1 })).rejects.toThrow(/closed/);
  });
});
