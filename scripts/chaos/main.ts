/**
 * `npm run chaos`: starts a private Postgres cluster and a private redis-server (never the machine's
 * shared ones), then runs each scenario against a fresh stack — API, three workers, the provider
 * simulator — and audits the ledger against what the simulator received. Prints a table, writes
 * results.json next to the process logs, and exits 1 if any scenario lost or doubled a recipient.
 * Everything started is stopped and removed on success, failure and Ctrl-C alike.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/db/paths.js';
import { createCleanup } from '../demo/cleanup.js';
import { freePort } from '../demo/free-port.js';
import { demoNumbers } from '../demo/numbers.js';
import { createPostgresCluster } from './infra/postgres-cluster.js';
import { startRedisServer } from './infra/redis-server.js';
import { closeOpenStacks, type ChaosInfra } from './infra/stack.js';
import { parseOptions } from './options.js';
import { formatTable } from './results-table.js';
import { SCENARIOS } from './scenarios/index.js';
import type { ScenarioResult } from './scenarios/scenario.js';

async function main(): Promise<number> {
  const options = parseOptions(process.argv);
  const say = (m: string): void => void process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
  const cleanup = createCleanup(say);
  let interrupted = false;
  const onSignal = (signal: string): void => {
    if (interrupted) return;
    interrupted = true;
    say(`${signal}: cleaning up`);
    void cleanup.run().then(() => process.exit(130));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const logRoot = join(REPO_ROOT, 'chaos-logs', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(logRoot, { recursive: true });
  const results: ScenarioResult[] = [];
  try {
    const postgres = createPostgresCluster(await freePort());
    cleanup.add('private Postgres', () => postgres.destroy());
    const redis = await startRedisServer(await freePort());
    cleanup.add('private Redis', () => redis.stop());
    // Runs first (cleanup goes in reverse): on a signal, the scenario's API, workers and simulator.
    cleanup.add('scenario processes', () => closeOpenStacks());
    const infra: ChaosInfra = { postgres, redis, logRoot };
    say(`private Postgres :${postgres.port}, Redis :${redis.port}; logs in ${logRoot}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    const ctx = {
      infra,
      numbers: demoNumbers(options.recipients),
      faultMs: options.faultMs,
      uploadRows: options.uploadRows,
      timeoutMs: options.timeoutMs,
      say,
    };
    for (const name of options.scenarios) {
      if (interrupted) break;
      const scenario = SCENARIOS.find((s) => s.name === name)!;
      say(`${name}: ${scenario.fault}`);
      let result: ScenarioResult;
      try {
        result = await scenario.run(ctx);
      } catch (err) {
        result = { name, status: 'not run', recipients: options.recipients, notes: [`not run: ${(err as Error).stack ?? String(err)}`] };
      }
      results.push(result);
      say(`${name}: ${result.status}${result.finishMs !== undefined ? ` in ${(result.finishMs / 1000).toFixed(1)} s` : ''} (load ${loadavg()[0]!.toFixed(2)})`);
    }
  } finally {
    if (!interrupted) await cleanup.run();
  }
  const baselineMs = results.find((r) => r.name === 'baseline')?.finishMs;
  const table = formatTable(results, baselineMs);
  process.stdout.write(`\n${table}\nload average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const json = JSON.stringify({ options, results, load: loadavg() }, null, 2);
  writeFileSync(join(logRoot, 'results.json'), json);
  if (options.resultsFile) writeFileSync(options.resultsFile, json);
  writeFileSync(join(logRoot, 'results.txt'), table);
  return results.every((r) => r.status === 'pass') ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
