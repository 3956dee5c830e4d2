/**
 * One-off reply latency under a large campaign, at full size: the check of
 * test/integration/messages/reply-under-load.test.ts (which runs 5,000 recipients in CI) at
 * 50,000 by default. Everything runs in this process against the local Postgres and Redis: a fresh
 * schema and queue prefix, the real API (inject), a worker runtime and a Yeastar simulator; all
 * are removed at the end.
 *
 * The campaign goes out on a Yeastar SMS channel with rate headroom (10,000/s: the workers, not the
 * limit, set its pace). At 10 %, 40 % and 70 % of the campaign one reply is posted on the same
 * channel; each reply's latency is measured from timestamps — its row's created_at (Postgres, at
 * the insert) to the simulator's acceptance of its send, and to its ledger sent_at — never from
 * sleeps. Prints one line per reply with the load average; exits 1 if any exceeds 1 s.
 *
 *   npm run build && node dist/scripts/message-latency.js [recipients] [worker concurrency]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { buildApp } from '../src/api/build-app.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { createPool } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator.js';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { createPrisma } from '../src/db/prisma.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetricsRegistry } from '../src/observability/metrics.js';
import { createRedis } from '../src/queue/connection.js';
import { createQueues } from '../src/queue/queues.js';
import { startYeastarSimulator } from '../test/simulators/index.js';
import { createWorkerRuntime } from '../workers/runtime.js';

const RECIPIENTS = Number(process.argv[2] ?? 50_000);
const CONCURRENCY = Number(process.argv[3] ?? 50);
const BOUND_MS = 1_000;
const BASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const log = createLogger({ level: 'silent', pretty: false });
  const schema = `msglat_${randomBytes(4).toString('hex')}`;
  const prefix = `msglat-${randomBytes(4).toString('hex')}`;
  const admin = createPool(BASE_URL, 1);
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(BASE_URL);
  url.searchParams.set('schema', schema);
  const pool = createPool(url.toString(), 5);
  await migrate(pool, MIGRATIONS_DIR);
  const prisma = createPrisma(url.toString(), 4);
  const redis = createRedis(REDIS_URL);
  const queues = createQueues(redis, prefix);
  const sim = await startYeastarSimulator();
  const config = loadConfig({});
  const app = await buildApp({ prisma, pool, queues, config, log });
  const runtime = await createWorkerRuntime({
    config: { ...config, databaseUrl: url.toString(), redisUrl: REDIS_URL, queuePrefix: prefix, workerConcurrency: CONCURRENCY },
    log,
    registry: createMetricsRegistry({ service: 'worker', processMetrics: false }),
  });
  const { key } = await createApiKey(prisma, 'message-latency');
  const call = async <T>(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<T> => {
    const res = await app.inject({ method, url: path, payload: payload as never, headers: { authorization: `Bearer ${key}` } });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  let failed = false;
  try {
    const channel = await call<{ id: string }>('POST', '/v1/channels', {
      name: 'latency',
      provider: 'yeastar',
      kind: 'sms',
      sender_id: '+15550193511',
      rate_per_second: 10_000,
      settings: { baseUrl: sim.url, channelType: 'twilio' },
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    });
    const numbers = Array.from({ length: RECIPIENTS }, (_, i) => ({ number: `+1415${String(5_000_000 + i).padStart(7, '0')}` }));
    const campaign = await call<{ id: string }>('POST', '/v1/campaigns', {
      name: 'load',
      channel_id: channel.id,
      recipient_type: 'input',
      send_type: 'immediately',
      content_type: 'text',
      content: 'Sale!',
      number_list: numbers,
    });
    const started = Date.now();
    const sent = async () =>
      (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sent'`, [campaign.id])).rows[0]!.n;
    console.log(`campaign of ${RECIPIENTS} on a 10,000/s channel, worker concurrency ${CONCURRENCY}`);
    for (const [i, share] of [0.1, 0.4, 0.7].entries()) {
      while ((await sent()) < RECIPIENTS * share) await sleep(50);
      const accepted = await call<{ id: string }>('POST', '/v1/messages', { channel_id: channel.id, to: `+1415555990${i}`, content_type: 'text', content: 'reply', request_id: `reply-${i}` });
      let row: { created_at: Date; sent_at: Date | null; provider_message_id: string | null } | undefined;
      for (;;) {
        row = (
          await pool.query<{ created_at: Date; sent_at: Date | null; provider_message_id: string | null }>(
            `SELECT c.created_at, r.sent_at, r.provider_message_id FROM campaigns c JOIN campaign_recipients r ON r.campaign_id = c.id WHERE c.id = $1`,
            [accepted.id],
          )
        ).rows[0];
        if (row?.sent_at) break;
        await sleep(20);
      }
      const atSim = sim.acceptedSends().find((s) => s.messageId === row!.provider_message_id)!.at;
      const toProvider = atSim - row!.created_at.getTime();
      const toLedger = row!.sent_at!.getTime() - row!.created_at.getTime();
      const unsent = RECIPIENTS - (await sent());
      const load = loadavg().map((n) => n.toFixed(2)).join(' ');
      console.log(`reply ${i + 1} at ~${share * 100}%: accepted→provider ${toProvider} ms, accepted→sent_at ${toLedger} ms; ${unsent} campaign recipients unsent; load average ${load}`);
      if (toProvider > BOUND_MS || toLedger > BOUND_MS) failed = true;
    }
    const status = async () => (await pool.query<{ status: string }>('SELECT status::text AS status FROM campaigns WHERE id = $1', [campaign.id])).rows[0]!.status;
    while ((await status()) === 'running') await sleep(200);
    console.log(`campaign ${await status()}: ${await sent()} sent in ${((Date.now() - started) / 1000).toFixed(1)} s (${Math.round(RECIPIENTS / ((Date.now() - started) / 1000))}/s on average)`);
  } finally {
    await runtime.close();
    await app.close();
    await queues.close();
    await sim.close();
    await prisma.$disconnect();
    await pool.end();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
