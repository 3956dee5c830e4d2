/**
 * Entry point of a worker process (`npm run start:worker`): runs the launch and send workers, the
 * reconciler and the health server (/healthz, /readyz, /metrics on WORKER_HEALTH_PORT) until
 * SIGTERM/SIGINT, then shuts down gracefully.
 *
 * Shutdown, and why nothing is lost by it: the workers stop taking jobs at once; sends in flight get
 * SHUTDOWN_DEADLINE_MS to finish and record their outcome; what is still running after that is
 * force-closed. A force-closed send keeps its job lock until it expires, then another worker's
 * stalled check re-queues it; its recipient is `sending` under a lease, so the re-run reclaims it
 * once the lease has ended and sends with the same idempotency key (src/dispatch/send-recipient.ts).
 * The health server closes last, so probes see the process until its queues are let go.
 */
import { loadConfig } from '../src/config/config.js';
import { MIGRATIONS_DIR } from '../src/db/paths.js';
import { explainUnreachable } from '../src/db/unreachable.js';
import { startHealthServer, type HealthServer } from '../src/health/health-server.js';
import { standardChecks } from '../src/health/readiness.js';
import { createLogger } from '../src/observability/logger.js';
import { createWorkerRuntime, type WorkerRuntime } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker' });
  let runtime: WorkerRuntime;
  try {
    runtime = await createWorkerRuntime({ config, log });
  } catch (err) {
    const explained = explainUnreachable(err, { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl });
    if (explained) {
      console.error(explained);
      process.exit(1);
    }
    throw err;
  }

  let stopping = false;
  let health: HealthServer | undefined;
  try {
    health = await startHealthServer({
      port: config.workerHealthPort,
      registry: runtime.registry,
      checks: standardChecks({ pool: runtime.pool, redis: runtime.redis, migrationsDir: MIGRATIONS_DIR }),
      live: () => !stopping,
      log,
    });
  } catch (err) {
    log.error({ err, port: config.workerHealthPort }, 'health server could not listen; stopping');
    await runtime.close(0);
    process.exit(1);
  }

  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, deadlineMs: config.shutdownDeadlineMs }, 'shutting down');
    runtime
      .close(config.shutdownDeadlineMs)
      .then(() => health?.close())
      .then(
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
