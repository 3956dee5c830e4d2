/**
 * Readiness of a process that is up but still waiting for Postgres or Redis (retry-until-ready.ts):
 * the health server must answer before the dependencies do — liveness green, so the orchestrator
 * does not restart a process that is only waiting; readiness red, saying why. Each check here fails
 * with the latest reason until `use()` hands over the real checks (standardChecks), from which on
 * each delegates to its real namesake.
 */
import type { ReadinessCheck } from './readiness.js';

export interface StartupChecks {
  /** Pass these to the health server / readiness once, at start. */
  checks: ReadinessCheck[];
  /** Why the process is not started yet (public: no hosts, no users — a code is enough). */
  waiting(reason: string): void;
  /** The process started: from now on each check runs the real check of the same name. */
  use(real: readonly ReadinessCheck[]): void;
}

/** Checks named `names` (default the standard three) that fail until `use()` is called. */
export function createStartupChecks(names: readonly string[] = ['postgres', 'redis', 'migrations']): StartupChecks {
  let reason = 'starting';
  let real: readonly ReadinessCheck[] | undefined;
  return {
    checks: names.map((name) => ({
      name,
      async run() {
        const check = real?.find((c) => c.name === name);
        if (!check) throw new Error(`not started: ${reason}`);
        await check.run();
      },
    })),
    waiting(why) {
      reason = why;
    },
    use(checks) {
      real = checks;
    },
  };
}
