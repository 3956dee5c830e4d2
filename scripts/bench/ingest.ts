/**
 * Benchmark 3 — ingest: a 1,000,000-row CSV (at scale 1) uploaded into a draft campaign through the
 * API process, which parses it, COPYs it into a staging table and merges it into the ledger in one
 * transaction.
 * - ingest.rate: rows ÷ seconds from the first byte sent to the API's answer (rows/s);
 * - ingest.peak-rss: the API process's peak resident memory (VmHWM, and VmRSS sampled every 100 ms)
 *   — a fresh API process per run, so the peak is this upload's (start-up included, ~100 MB).
 */
import { resetLedger } from './bench-env.js';
import type { Benchmark } from './benchmark.js';
import { csvStream, uploadCsv } from './csv-upload.js';
import type { Figure } from './figure.js';
import { scaled } from './options.js';
import { API_SCRIPT } from './paths.js';
import { procKb, sampleRss } from './proc-memory.js';
import { sleep, startChild } from './processes.js';
import { createChannel, createDraftCampaign } from './seed.js';
import { freePort } from '../demo/free-port.js';
import { deleteQueueKeys } from '../demo/queue-keys.js';

export const ingest: Benchmark = {
  name: 'ingest',
  async run({ env, details }) {
    const { runs, scale } = env.options;
    const rows = scaled(1_000_000, scale, 1_000);
    const rates: number[] = [];
    const peaks: number[] = [];
    const perRun: unknown[] = [];
    for (let run = 1; run <= runs; run++) {
      await resetLedger(env.db);
      const channelId = await createChannel(env.db, { url: 'http://127.0.0.1:9', apiKey: 'x', businessId: 'b' });
      const campaignId = await createDraftCampaign(env.db, channelId, 0, 'bench ingest');
      const port = await freePort();
      const prefix = env.newPrefix();
      const api = startChild({
        name: `ingest-r${run}-api`,
        script: API_SCRIPT,
        env: { ...process.env, DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1' },
        logDir: env.logDir,
      });
      try {
        const apiUrl = `http://127.0.0.1:${port}`;
        for (let i = 0; ; i++) {
          if (api.exitStatus() !== undefined) throw new Error(`API exited: ${api.logTail()}`);
          if (await fetch(`${apiUrl}/healthz`).then((r) => r.ok, () => false)) break;
          if (i > 300) throw new Error('API did not become healthy');
          await sleep(100);
        }
        const rssBeforeMb = procKb(api.pid, 'VmRSS') / 1024;
        const rss = sampleRss(api.pid);
        const started = performance.now();
        const res = await uploadCsv(apiUrl, env.apiKey, campaignId, csvStream(rows));
        const seconds = (performance.now() - started) / 1000;
        const peakMb = rss.stop() / 1024;
        if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${res.body.slice(0, 500)}`);
        const answer = JSON.parse(res.body) as { accepted: number };
        if (answer.accepted !== rows) throw new Error(`upload accepted ${answer.accepted} of ${rows} rows`);
        rates.push(rows / seconds);
        peaks.push(peakMb);
        perRun.push({ seconds, rssBeforeMb, peakMb });
        env.say(`ingest run ${run}/${runs}: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)}/s, peak RSS ${peakMb.toFixed(0)} MB (before ${rssBeforeMb.toFixed(0)} MB)`);
      } finally {
        await api.stop();
        await deleteQueueKeys(env.redisUrl, prefix);
      }
    }
    await resetLedger(env.db);
    details.ingest = { rows, runs: perRun };
    const figures: Figure[] = [
      { name: 'ingest.rate', unit: 'rows/s', samples: rates, target: { op: '>=', value: 200_000, on: 'value' } },
      { name: 'ingest.peak-rss', unit: 'MB', samples: peaks, target: { op: '<=', value: 300, on: 'value' }, note: 'API process, start-up included' },
    ];
    return figures;
  },
};
