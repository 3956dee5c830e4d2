/**
 * Entry point of a worker process (`npm run start:worker`): runs the launch and send workers and the
 * reconciler until SIGTERM/SIGINT, then shuts down gracefully.
 */
import { loadConfig } from '../src/config/config.js';
import { explainUnreachable } from '../src/db/unreachable.js';
import { createLogger } from '../src/observability/logger.js';
import { loadDeliveryTuning } from './delivery-tuning.js';
import { createWorkerRuntime, type WorkerRuntime } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker' });
  let runtime: WorkerRuntime;
  try {
    runtime = await createWorkerRuntime({ config, log, ...loadDeliveryTuning(process.env) });
  } catch (err) {
    const explained = explainUnreachable(err, { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl });
    if (explained) {
      console.error(explained);
      process.exit(1);
    }
    throw err;
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    runtime.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
