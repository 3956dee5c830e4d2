/**
 * The API and the worker run as the operator runs them — separate Node processes from the built
 * code — so the demo exercises the real wiring. Their logs go to files, not the terminal, where
 * they would tear up the progress bars.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceProcess {
  name: string;
  logPath: string;
  /** The exit code (or signal name) once the process has ended, undefined while it runs. */
  exitStatus(): string | undefined;
  /** SIGTERM, then SIGKILL if it has not ended after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines of its log, to show when it failed. */
  logTail(lines?: number): string;
}

export function startService(options: { name: string; script: string; env: NodeJS.ProcessEnv; logDir: string; cwd: string }): ServiceProcess {
  const logPath = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logPath, 'a');
  const child: ChildProcess = spawn(process.execPath, [options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', fd, fd],
  });
  // The child holds its own copy of the descriptor.
  closeSync(fd);
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = signal ?? String(code);
      resolve();
    });
    child.once('error', (err) => {
      status = `spawn error: ${err.message}`;
      resolve();
    });
  });

  return {
    name: options.name,
    logPath,
    exitStatus: () => status,
    async stop(graceMs = 15_000) {
      if (status !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    logTail(lines = 15) {
      try {
        return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
}
