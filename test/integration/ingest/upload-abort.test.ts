/**
 * An upload the client abandons mid-stream (socket destroyed) over a real listener: the upload's
 * transaction rolls back — no ledger row, no change to recipient_count — and the API goes on
 * serving. Progress is observed in pg_stat_activity, never by waiting a fixed time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiHarness, insertChannel, type ApiHarness } from '../api/api-harness.js';
import { chineseMobile, insertCampaign, ledger } from './ingest-helpers.js';

let h: ApiHarness;
let port: number;

beforeAll(async () => {
  h = await createApiHarness('ingest_abort');
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await h.close();
});

/** Polls `probe` until it returns a value (not undefined); fails after `attempts` tries. */
async function until<T>(probe: () => Promise<T | undefined>, attempts = 500): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

function rows(from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += `${chineseMobile(i)},${i}\n`;
  return s;
}

test('a client that disconnects mid-upload leaves zero rows behind', async () => {
  const channelId = await insertChannel(h.db, 'sms');
  const id = await insertCampaign(h.db, channelId);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/v1/campaigns/${id}/recipients`,
    headers: { authorization: `Bearer ${h.key}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
  });
  req.on('error', () => undefined); // the socket is destroyed on purpose
  req.write(`number,n\n${rows(0, 5_000)}`);

  // The server's COPY is running: rows are flowing into the ledger (or the staging table).
  const pid = await until(async () => {
    const { rows: r } = await h.db.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE query LIKE 'COPY %' AND datname = current_database() AND state = 'active'`,
    );
    return r[0]?.pid;
  });
  req.write(rows(5_000, 10_000));
  req.destroy();

  // The upload's connection has rolled back: it is idle after a ROLLBACK, or already back in the
  // pool (the app and this test share one) and running this very probe.
  await until(async () => {
    const { rows: r } = await h.db.pool.query<{ query: string; state: string; me: boolean }>(
      'SELECT query, state, pid = pg_backend_pid() AS me FROM pg_stat_activity WHERE pid = $1',
      [pid],
    );
    const backend = r[0];
    return backend && (backend.me || (backend.state === 'idle' && backend.query === 'ROLLBACK')) ? true : undefined;
  });
  expect(await ledger(h.db, id)).toEqual([]);
  expect((await h.db.prisma.campaign.findUniqueOrThrow({ where: { id } })).recipientCount).toBe(0);

  // The API still works, and the same campaign takes a complete upload.
  const res = await h.request({ method: 'POST', url: `/v1/campaigns/${id}/recipients`, headers: { 'content-type': 'text/csv' }, payload: `number\n${chineseMobile(1)}\n` });
  expect(res.json()).toMatchObject({ accepted: 1, recipient_count: 1 });
});
