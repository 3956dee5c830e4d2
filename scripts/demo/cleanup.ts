/**
 * What the demo has started, stopped in reverse order exactly once: on success, on failure and on
 * Ctrl-C alike. A step that fails is reported and the others still run, so one stuck child does
 * not leave the simulators or the Redis keys behind.
 */
export interface Cleanup {
  add(name: string, step: () => Promise<void> | void): void;
  run(): Promise<void>;
}

export function createCleanup(report: (message: string) => void): Cleanup {
  const steps: { name: string; step: () => Promise<void> | void }[] = [];
  let running: Promise<void> | undefined;
  return {
    add(name, step) {
      steps.push({ name, step });
    },
    run() {
      running ??= (async () => {
        for (const { name, step } of steps.reverse()) {
          try {
            await step();
          } catch (err) {
            report(`cleanup: ${name} failed: ${(err as Error).message}`);
          }
        }
      })();
      return running;
    },
  };
}
