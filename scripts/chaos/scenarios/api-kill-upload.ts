/**
 * The API SIGKILLed while a large CSV upload is in flight. The upload is one transaction, so the
 * ledger must hold either none of the file or all of it — never part — and a client that got an
 * error can simply upload again (the campaign refuses numbers it already has).
 * Two kill points: mid-stream (COPY running, half the body sent) and after the whole body was sent
 * (the server is inserting or committing; this is where "accepted without saying so" could hide).
 * Finally the client retries once and the ledger must hold every row exactly once.
 */
import http from 'node:http';
import { demoNumbers } from '../../demo/numbers.js';
import { startStack, type Stack } from '../infra/stack.js';
import { sleep } from './campaign-scenario.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './scenario.js';

/** The draft's one inline recipient (Chicago 312: no demo number uses that area code). */
const SEED_NUMBER = '+13125550100';

interface UploadAnswer {
  status: number | 'connection error';
  body: string;
}

export const apiKillUpload: Scenario = {
  name: 'api-kill-upload',
  fault: 'API SIGKILLed mid-stream, then again just after the body was sent, of a CSV upload; then the client retries',
  async run(ctx: ScenarioContext): Promise<ScenarioResult> {
    const began = Date.now();
    const notes: string[] = [];
    const stack = await startStack(ctx.infra, 'api-kill-upload');
    try {
      const rows = ctx.uploadRows;
      const csv = `number,name\n${demoNumbers(rows).map((n, i) => `${n},r${i}`).join('\n')}\n`;
      const created = await stack.client.post<{ id: string; recipient_count: number }>('/v1/campaigns', {
        name: 'chaos upload',
        channel_id: stack.channelId,
        recipient_type: 'input',
        // A campaign needs one recipient to be created; this one is outside the CSV's numbers.
        number_list: [{ number: SEED_NUMBER }],
        content_type: 'text',
        content: 'upload chaos',
        send_type: 'draft',
      });
      const campaignId = created.id;
      let partial = 0;

      for (const killPoint of ['mid-stream', 'after-body'] as const) {
        const before = await ledgerCount(stack, campaignId);
        const answer = upload(stack, campaignId, csv, killPoint === 'mid-stream' ? 0.5 : 1);
        if (killPoint === 'mid-stream') await waitForCopy(stack);
        else await answer.bodySent;
        await stack.api.kill(0);
        const got = await answer.result;
        await waitHealthy(stack);
        const after = await ledgerCount(stack, campaignId);
        const added = after - before;
        const whole = added === 0 || added === rows;
        if (!whole) partial++;
        const told = got.status === 200 ? 'client told 200' : `client saw ${got.status}`;
        notes.push(`${killPoint}: ${added.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows landed, ${told}${whole ? '' : ' — PARTIAL'}`);
        if (added === rows && got.status !== 200) notes.push(`${killPoint}: accepted whole but the client was not told (a retry is answered with duplicates)`);
      }

      // The client retries after whatever it saw.
      const retry = await upload(stack, campaignId, csv, 1).result;
      const final = await ledgerCount(stack, campaignId);
      const distinct = await distinctNumbers(stack, campaignId);
      notes.push(`retry: ${retry.status}; ledger ${final.toLocaleString('en-US')} rows, ${distinct.toLocaleString('en-US')} distinct numbers`);
      const lost = rows + 1 - distinct; // + the seed recipient
      const doubled = final - distinct;
      const crashes = Object.values(stack.crashes()).flat().length;
      return {
        name: 'api-kill-upload',
        status: partial === 0 && lost === 0 && doubled === 0 && retry.status === 200 ? 'pass' : 'fail',
        recipients: rows,
        lost,
        doubleSends: doubled,
        wallMs: Date.now() - began,
        crashes,
        notes,
      };
    } finally {
      await stack.close();
    }
  },
};

/** Streams the CSV, pausing after `fraction` of it until the caller kills the API (or forever, at 1). */
function upload(stack: Stack, campaignId: string, csv: string, fraction: number): { bodySent: Promise<void>; result: Promise<UploadAnswer> } {
  const url = new URL(stack.apiUrl);
  let sent!: () => void;
  const bodySent = new Promise<void>((r) => (sent = r));
  const result = new Promise<UploadAnswer>((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: `/v1/campaigns/${campaignId}/recipients`,
        headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ status: 'connection error', body }));
      },
    );
    req.on('error', (err) => resolve({ status: 'connection error', body: err.message }));
    const cut = Math.floor(csv.length * fraction);
    const chunk = 64 * 1024;
    for (let i = 0; i < cut; i += chunk) req.write(csv.slice(i, Math.min(cut, i + chunk)));
    if (fraction >= 1) {
      req.end(() => sent());
    } else {
      sent(); // the rest is never sent: the API dies first
    }
  });
  return { bodySent, result };
}

async function waitForCopy(stack: Stack): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await stack.pool.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY %' AND state = 'active' AND datname = current_database()`);
    if (rows.length > 0) return;
    await sleep(25);
  }
  throw new Error('the upload never reached COPY');
}

async function waitHealthy(stack: Stack): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${stack.apiUrl}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // restarting
    }
    await sleep(200);
  }
  throw new Error('API did not come back');
}

async function ledgerCount(stack: Stack, campaignId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1', [campaignId]);
  return rows[0]!.n;
}

async function distinctNumbers(stack: Stack, campaignId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ n: number }>('SELECT count(DISTINCT number)::int AS n FROM campaign_recipients WHERE campaign_id = $1', [campaignId]);
  return rows[0]!.n;
}
