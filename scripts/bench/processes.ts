/**
 * Child processes of a bench run, started from the built code exactly as an operator starts them,
 * with their logs in files and their pids at hand for CPU accounting. `stop` sends SIGTERM (the
 * services shut down gracefully, which is also when `--cpu-prof` writes its profile), then SIGKILL
 * after a grace period.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  logPath: string;
  /** Exit code or signal once it has ended. */
  exitStatus(): string | undefined;
  stop(graceMs?: number): Promise<void>;
  logTail(lines?: number): string;
}

export interface StartOptions {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Extra `node` flags (--cpu-prof, --import …). */
  execArgv?: string[];
  /** An IPC channel (fork) for processes the bench talks to directly. */
  ipc?: boolean;
}

export function startChild(options: StartOptions): Child {
  const logPath = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logPath, 'a');
  const execArgv = options.execArgv ?? [];
  const child = options.ipc
    ? fork(options.script, [], { env: options.env, execArgv, stdio: ['ignore', fd, fd, 'ipc'] })
    : spawn(process.execPath, [...execArgv, options.script], { env: options.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = signal ?? String(code);
      resolve();
    });
  });
  return {
    name: options.name,
    pid: child.pid,
    process: child,
    logPath,
    exitStatus: () => status,
    async stop(graceMs = 20_000) {
      if (status !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    logTail(lines = 20) {
      try {
        return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
}

/** Throws with the log tail when any of `children` has exited. */
export function assertAlive(children: readonly Child[]): void {
  const dead = children.find((c) => c.exitStatus() !== undefined);
  if (dead) throw new Error(`${dead.name} exited (${dead.exitStatus()}); last lines of ${dead.logPath}:\n${dead.logTail()}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
