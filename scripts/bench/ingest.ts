/**
 * Benchmark 3 — ingest: a 1,000,000-row CSV (at scale 1) uploaded into a draft campaign through the
 * API process, which parses it, COPYs it into a staging table and merges it into the ledger in one
 * transaction.
 * - ingest.rate: rows ÷ seconds from the first byte sent to the API's answer (rows/s);
 * - ingest.peak-rss: the API process's peak resident memory (VmHWM, and VmRSS sampled every 100 ms)
 *   — a fresh API process per run, so the peak is this upload's (start-up included, ~100 MB).
 * Per run the details also hold the CPU seconds of the upload per group: the API, Postgres (the
 * bench database's backends and the postmaster's helpers) and the bench's own process, which
 * generates and sends the CSV on the same two cores. With --profile the API runs under
 * `node --cpu-prof` (profiles beside the JSON file).
 */
import { resetLedger } from './bench-env.js';
import type { Benchmark } from './benchmark.js';
import { trackCpu } from './cpu.js';
import { currentPids } from './cpu-groups.js';
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
      const name = `ingest-r${run}-api`;
      const api = startChild({
        name,
        script: API_SCRIPT,
        execArgv: env.options.profile ? ['--cpu-prof', '--cpu-prof-dir', env.profileDir, '--cpu-prof-name', `${name}.cpuprofile`] : [],
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
        // The bench process itself counts as the "simulator" group here: it is the client.
        const cpu = await trackCpu(() => currentPids(env, [api.pid], [process.pid]));
        const started = performance.now();
        const res = await uploadCsv(apiUrl, env.apiKey, campaignId, csvStream(rows));
        const seconds = (performance.now() - started) / 1000;
        const peakMb = rss.stop() / 1024;
        const used = await cpu.stop();
        const cpuSeconds = { api: used.ms.ours / 1000, postgres: used.ms.postgres / 1000, client: used.ms.simulator / 1000 };
        if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${res.body.slice(0, 500)}`);
        const answer = JSON.parse(res.body) as { accepted: number };
        if (answer.accepted !== rows) throw new Error(`upload accepted ${answer.accepted} of ${rows} rows`);
        rates.push(rows / seconds);
        peaks.push(peakMb);
        perRun.push({ seconds, rssBeforeMb, peakMb, cpuSeconds });
        env.say(
          `ingest run ${run}/${runs}: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)}/s, peak RSS ${peakMb.toFixed(0)} MB (before ${rssBeforeMb.toFixed(0)} MB); ` +
            `CPU s: API ${cpuSeconds.api.toFixed(1)}, Postgres ${cpuSeconds.postgres.toFixed(1)}, client ${cpuSeconds.client.toFixed(1)}`,
        );
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
