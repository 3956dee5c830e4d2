/**
 * One of our services (API or worker) run from the built code as a separate Node process, kept
 * alive the way an orchestrator would (restart after an exit we did not cause, one second later).
 * Every such exit is counted: a worker that dies when Postgres or Redis blinks is a crash-loop
 * finding, not noise. `kill()` (SIGKILL, our fault) is not counted and restarts only on request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SupervisedProcess {
  name: string;
  logPath: string;
  /** Exits we did not cause (crashes). */
  unexpectedExits(): string[];
  running(): boolean;
  /** SIGKILL now; restarted after `restartAfterMs` unless undefined. */
  kill(restartAfterMs?: number): Promise<void>;
  start(): void;
  /** SIGTERM (then SIGKILL after `graceMs`); no restart. */
  stop(graceMs?: number): Promise<void>;
  logTail(lines?: number): string;
}

export function superviseProcess(options: { name: string; script: string; env: NodeJS.ProcessEnv; logDir: string; cwd: string }): SupervisedProcess {
  const logPath = join(options.logDir, `${options.name}.log`);
  const crashes: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let wanted = false; // should be running
  let restartTimer: NodeJS.Timeout | undefined;

  function start(): void {
    wanted = true;
    if (child) return;
    const fd = openSync(logPath, 'a');
    const proc = spawn(process.execPath, [options.script], { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child = proc;
    exited = new Promise<void>((resolve) => {
      proc.once('exit', (code, signal) => {
        child = undefined;
        resolve();
        if (!wanted) return;
        crashes.push(`${new Date().toISOString()} ${signal ?? `exit ${code}`}`);
        restartTimer = setTimeout(() => wanted && start(), 1_000);
      });
    });
  }

  async function halt(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    wanted = false;
    clearTimeout(restartTimer);
    const proc = child;
    if (!proc) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  return {
    name: options.name,
    logPath,
    unexpectedExits: () => [...crashes],
    running: () => child !== undefined,
    async kill(restartAfterMs) {
      await halt('SIGKILL', 0);
      if (restartAfterMs !== undefined) restartTimer = setTimeout(start, restartAfterMs);
    },
    start,
    stop: (graceMs = 15_000) => halt('SIGTERM', graceMs),
    logTail(lines = 20) {
      try {
        return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
}
