/**
 * Real worker processes for the multi-process delivery tests: `node dist/workers/main.js` with the
 * test file's schema and queue prefix. dist must be current; `ensureBuilt` compiles it (tsc only —
 * the Prisma client is generated and committed) when any source under src/ or workers/ is newer.
 * `npm test` builds before jest anyway.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
const ENTRY = join(ROOT, 'dist/workers/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles dist when it is older than the sources. */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(ENTRY).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'workers')), newestMtime(join(ROOT, 'test/simulators')));
  if (built >= sources) return;
  // tsc emits even when some file elsewhere has a type error (work in progress in another module);
  // the worker's own files are type-checked by `npm run typecheck`, so only a missing emit fails here.
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if ((statSync(ENTRY, { throwIfNoEntry: false })?.mtimeMs ?? 0) < sources) {
    throw new Error(`could not build dist/ for the worker processes:\n${result.stdout}${result.stderr}`);
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | string | null>;
  output(): string;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    // Port 0: several workers run side by side, each with its own health server.
    env: { ...process.env, LOG_LEVEL: process.env.TEST_WORKER_LOG_LEVEL ?? 'warn', WORKER_HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited, output: () => output };
}

/** SIGTERM (graceful) and wait; SIGKILL after `ms`. */
export async function stopWorker(worker: WorkerProcess, ms = 15_000): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), ms);
  await worker.exited;
  clearTimeout(timer);
}

/** The most sends inside any window of `windowMs` (sorted timestamps, two pointers). */
export function maxInSlidingWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
