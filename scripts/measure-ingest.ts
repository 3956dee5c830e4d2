/**
 * Measures a CSV upload of recipients end to end: starts the API as a child process (the built
 * dist/src/api/main.js) on a scratch schema, uploads a generated CSV over real HTTP into a draft
 * campaign, and prints rows/s and the API process's peak RSS.
 *
 *   npm run build && node dist/scripts/measure-ingest.js [rows=1000000]
 *
 * The CSV is generated as it is sent (a stream; never a file, never whole in memory). Peak RSS is
 * the kernel's high-water mark for the API process (VmHWM in /proc/<pid>/status, Linux only),
 * which includes start-up; the RSS just before the upload is printed beside it. The database is
 * TEST_DATABASE_URL (default the local `test` database); the schema is dropped at the end.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createApiKey } from '../src/auth/api-keys.js';
import { createPool } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator.js';
import { MIGRATIONS_DIR, REPO_ROOT } from '../src/db/paths.js';
import { createPrisma } from '../src/db/prisma.js';
import { freePort } from './demo/free-port.js';

const BASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROWS_PER_CHUNK = 1_000;

/** Kilobytes of one /proc/<pid>/status field (VmRSS, VmHWM). */
function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** `number,name,tier` rows with distinct valid numbers (Chinese mobiles), made as they are read. */
function csvStream(rows: number): Readable {
  let next = 0;
  return new Readable({
    read() {
      if (next === 0) this.push('number,name,tier\n');
      if (next >= rows) return void this.push(null);
      const end = Math.min(rows, next + ROWS_PER_CHUNK);
      let chunk = '';
      for (let i = next; i < end; i++) chunk += `+86138${String(i).padStart(8, '0')},Customer ${i},${i % 3 === 0 ? 'gold' : 'silver'}\n`;
      next = end;
      this.push(chunk);
    },
  });
}

function upload(port: number, key: string, campaignId: string, body: Readable): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/v1/campaigns/${campaignId}/recipients`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}

async function waitHealthy(port: number, child: { exitCode: number | null }): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}) before it was healthy`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not become healthy within 30 s');
}

async function main(): Promise<void> {
  const schema = `measure_ingest_${randomBytes(4).toString('hex')}`;
  const admin = createPool(BASE_URL, 1);
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(BASE_URL);
  url.searchParams.set('schema', schema);
  const pool = createPool(url.toString(), 2);
  const prisma = createPrisma(url.toString(), 2);
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await migrate(pool, MIGRATIONS_DIR);
    const channel = await prisma.channel.create({
      data: { name: 'measure', provider: 'connectly', kind: 'sms', senderId: '+15550000000', settings: { businessId: 'b' }, credentials: { apiKey: 'x' } },
    });
    const campaign = await prisma.campaign.create({
      data: { channelId: channel.id, name: 'measure ingest', recipientType: 'input', contentType: 'text', content: 'hi', sendType: 'draft', status: 'draft' },
    });
    const { key } = await createApiKey(prisma, 'measure-ingest', ['send']);

    const port = await freePort();
    child = spawn(process.execPath, [join(REPO_ROOT, 'dist/src/api/main.js')], {
      env: { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', QUEUE_PREFIX: schema },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The API logs JSON lines; keep the upload's own summary (it splits COPY and merge time).
    let summary: { copyMs?: number; mergeMs?: number } = {};
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"recipients uploaded"')) summary = JSON.parse(line) as typeof summary;
    });
    await waitHealthy(port, child);
    const pid = child.pid!;
    const rssBefore = procKb(pid, 'VmRSS');
    let rssMax = rssBefore;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, procKb(pid, 'VmRSS'))), 100);

    const started = process.hrtime.bigint();
    const res = await upload(port, key, campaign.id, csvStream(ROWS));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    const hwm = procKb(pid, 'VmHWM');
    if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${res.body.slice(0, 500)}`);
    const answer = JSON.parse(res.body) as { accepted: number; rejected_total: number; recipient_count: number };
    const stored = await prisma.recipient.count({ where: { campaignId: campaign.id } });

    console.log(`rows uploaded        ${ROWS.toLocaleString('en')}`);
    console.log(`accepted / rejected  ${answer.accepted.toLocaleString('en')} / ${answer.rejected_total.toLocaleString('en')} (ledger rows: ${stored.toLocaleString('en')})`);
    console.log(`time                 ${seconds.toFixed(2)} s`);
    console.log(`throughput           ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s`);
    console.log(`  parse + COPY       ${((summary.copyMs ?? NaN) / 1000).toFixed(2)} s (stream into the staging table)`);
    console.log(`  merge              ${((summary.mergeMs ?? NaN) / 1000).toFixed(2)} s (staging → ledger, duplicates, recipient_count)`);
    console.log(`API RSS before       ${(rssBefore / 1024).toFixed(0)} MB`);
    console.log(`API RSS peak         ${(Math.max(hwm, rssMax) / 1024).toFixed(0)} MB (VmHWM ${(hwm / 1024).toFixed(0)} MB, sampled max ${(rssMax / 1024).toFixed(0)} MB)`);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await prisma.$disconnect();
    await pool.end();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
