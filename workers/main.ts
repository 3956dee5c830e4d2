/**
 * Entry point of a worker process (`npm run start:worker`): runs the launch and send workers, the
 * reconciler and the health server (/healthz, /readyz, /metrics on WORKER_HEALTH_PORT) until
 * SIGTERM/SIGINT, then shuts down gracefully.
 *
 * Start, and why it never crash-loops: the health server listens first; then the runtime is built,
 * and while Postgres or Redis cannot be reached it is tried again with a capped exponential delay
 * (src/health/retry-until-ready.ts), each failed try logged at warn with the next delay. Meanwhile
 * /healthz answers 200 (nothing here needs a restart) and /readyz 503 with the reason. A SIGTERM
 * while waiting ends the process with 0. Only configuration errors (wrong password, missing
 * database) and a port already taken end it with 1.
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
import { failureSummary, retryUntilReady } from '../src/health/retry-until-ready.js';
import { createStartupChecks } from '../src/health/startup-checks.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetricsRegistry } from '../src/observability/metrics.js';
import { createWorkerRuntime, type WorkerRuntime } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'worker' });
  const registry = createMetricsRegistry({ service: 'worker' });
  const startup = createStartupChecks();
  const aborted = new AbortController();
  let runtime: WorkerRuntime | undefined;
  let stopping = false;

  let health: HealthServer;
  try {
    health = await startHealthServer({ port: config.workerHealthPort, registry, checks: startup.checks, live: () => !stopping, log });
  } catch (err) {
    log.error({ err, port: config.workerHealthPort }, 'health server could not listen; stopping');
    process.exit(1);
  }

  const exit = (code: number): void => {
    void health.close().finally(() => process.exit(code));
  };
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, deadlineMs: config.shutdownDeadlineMs }, 'shutting down');
    // Still starting: end the wait; main() closes whatever a try in flight opens.
    if (!runtime) return aborted.abort(new Error(signal));
    runtime.close(config.shutdownDeadlineMs).then(
      () => exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    runtime = await retryUntilReady(() => createWorkerRuntime({ config, log, registry }), {
      what: 'Postgres and Redis',
      log,
      signal: aborted.signal,
      onRetry: ({ err }) => startup.waiting(`waiting for Postgres and Redis (${failureSummary(err)})`),
    });
  } catch (err) {
    if (stopping) return exit(0);
    console.error(explainUnreachable(err, { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl }) ?? err);
    return exit(1);
  }
  if (stopping) {
    // The signal came while the last try was connecting: it succeeded, so close what it started.
    await runtime.close(config.shutdownDeadlineMs).catch((err: unknown) => log.error({ err }, 'shutdown failed'));
    return exit(0);
  }
  startup.use(standardChecks({ pool: runtime.pool, redis: runtime.redis, migrationsDir: MIGRATIONS_DIR }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
