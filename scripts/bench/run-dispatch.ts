/**
 * One dispatch run, end to end: a draft campaign of `recipients` recipients (made in SQL, not
 * measured) is launched over the API; the worker process(es) fan it out into send jobs, claim each
 * recipient, call the simulator through our got client and write the outcome to the ledger.
 *
 * - rate: recipients sent ÷ (campaigns.finished_at − campaigns.launched_at): from the launch
 *   request to the moment the last outcome completed the campaign, fan-out included.
 * - CPU per send: CPU ms of our processes (API + workers), Redis and Postgres over the interval from
 *   just before the launch request to the poll that saw the campaign completed, ÷ sends; processes
 *   are re-listed and read every 250 ms (cpu.ts trackCpu) so backends the pools close when idle
 *   still count. The simulator's CPU is measured the same way and reported apart (it is not ours).
 * - per send, also: Postgres transactions (≈ statements, see pg-stats.ts), tuples updated, and
 *   Redis commands (server-wide: an indication on a shared Redis).
 */
import type { BenchEnv } from './bench-env.js';
import { resetLedger } from './bench-env.js';
import { waitCampaign, statusCounts } from './campaign-watch.js';
import { trackCpu, type CpuUsage } from './cpu.js';
import { currentPids } from './cpu-groups.js';
import { countersBetween, pgCounters, type PgCounters } from './pg-stats.js';
import { callsBetween, commandCalls } from './redis-stats.js';
import { createChannel, createDraftCampaign, vacuumAnalyze } from './seed.js';
import { startStack } from './stack.js';
import { LIMITER_COUNTERS, scrapeCounters } from './worker-counters.js';
import { startSim } from './sim/sim-control.js';
import { sleep } from './processes.js';

export interface DispatchSettings {
  recipients: number;
  workers: number;
  latencyMs: number;
  /** Keep the rows already in the ledger (the ledger-growth benchmark); default: empty it first. */
  keepLedger?: boolean;
  label: string;
}

export interface DispatchRun {
  sent: number;
  seconds: number;
  rate: number;
  cpu: CpuUsage;
  /** (ours + redis + postgres) ms ÷ sent. */
  cpuMsPerSend: number;
  simulatorCpuMsPerSend: number;
  statusCounts: Record<string, number>;
  simulator: { accepted: number; errors: number; duplicates: number };
  pgPerSend: Record<keyof PgCounters, number>;
  redisCallsPerSend: Record<string, number>;
  /** The workers' limiter counters (stale admissions, waits), summed over the workers. */
  limiter: Record<string, number>;
}

export async function runDispatch(env: BenchEnv, s: DispatchSettings): Promise<DispatchRun> {
  const { db } = env;
  if (!s.keepLedger) await resetLedger(db);
  const sim = await startSim({ logDir: env.logDir, latencyMs: s.latencyMs });
  let campaignId: string | undefined;
  try {
    const channelId = await createChannel(db, sim);
    campaignId = await createDraftCampaign(db, channelId, s.recipients, s.label);
    await vacuumAnalyze(db);
    const stack = await startStack(env, { workers: s.workers, sim, label: s.label });
    try {
      const [pgBefore, redisBefore] = [await pgCounters(db), await commandCalls(env.redis)];
      const cpuTracker = await trackCpu(() => currentPids(env, stack.ourPids(), [sim.child.pid]));

      await stack.request('POST', `/v1/campaigns/${campaignId}/launch`);
      const times = await waitCampaign(db, campaignId, (t) => t.status !== 'running', {
        timeoutMs: 120_000 + s.recipients * 20,
        check: stack.check,
      });

      const cpu = await cpuTracker.stop();
      await sleep(600); // let the backends' statistics reach pg_stat_database
      const [pgAfter, redisAfter] = [await pgCounters(db), await commandCalls(env.redis)];
      const counts = await statusCounts(db, campaignId);
      const sent = counts.sent ?? 0;
      if (times.status !== 'completed' || sent !== s.recipients) {
        throw new Error(`campaign ended ${times.status} with ${JSON.stringify(counts)}; see ${stack.workers[0]?.logPath}`);
      }
      const seconds = (times.finishedAt!.getTime() - times.launchedAt!.getTime()) / 1000;
      const stats = await sim.stats();
      const limiter = await scrapeCounters(stack.workerMetricsUrls, LIMITER_COUNTERS);
      const pg = countersBetween(pgBefore, pgAfter);
      const redisCalls = callsBetween(redisBefore, redisAfter);
      return {
        sent,
        seconds,
        rate: sent / seconds,
        cpu,
        cpuMsPerSend: (cpu.ms.ours + cpu.ms.redis + cpu.ms.postgres) / sent,
        simulatorCpuMsPerSend: cpu.ms.simulator / sent,
        statusCounts: counts,
        simulator: { accepted: stats.accepted, errors: stats.errors, duplicates: stats.duplicates },
        pgPerSend: Object.fromEntries(Object.entries(pg).map(([k, v]) => [k, round3(v / sent)])) as Record<keyof PgCounters, number>,
        redisCallsPerSend: Object.fromEntries(
          Object.entries(redisCalls)
            .filter(([, v]) => v / sent >= 0.01)
            .map(([k, v]) => [k, round3(v / sent)]),
        ),
        limiter,
      };
    } finally {
      await stack.stop();
    }
  } finally {
    await sim.stop();
    if (s.keepLedger && campaignId) {
      // Leave only the old rows behind for the next run.
      await db.query('DELETE FROM campaigns WHERE id = $1', [campaignId]);
    }
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
