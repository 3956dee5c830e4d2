/**
 * Simulators in a child process (sim-child.mjs), for rate measurements: the arrival times the
 * simulator records are only as good as its event loop, and the jest process' loop is busy.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';

export interface RemoteSimInfo {
  url: string;
  apiKey?: string;
  businessId?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface RemoteAccepted {
  accepted: { at: number; to: string; idempotencyKey: string }[];
  duplicates: number;
  requests: number;
}

export interface SimProcess {
  start(name: string, provider: 'connectly' | 'yeastar', options?: Record<string, unknown>): Promise<RemoteSimInfo>;
  accepted(name: string): Promise<RemoteAccepted>;
  close(): Promise<void>;
}

export function forkSimProcess(): SimProcess {
  const child: ChildProcess = fork(join(process.cwd(), 'test/integration/delivery/sim-child.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // The simulator stands in for a provider on machines of its own; here it shares two cores with
  // the workers, Postgres and Redis, and a runnable process can wait tens of milliseconds for a
  // core — measured: arrivals stamped up to 35–80 ms after the worker wrote them, at load 5–7. A
  // higher scheduling priority keeps its clock close to the wire (root only; best effort).
  try {
    if (child.pid !== undefined) setPriority(child.pid, -10);
  } catch {
    // not permitted: arrivals may be stamped late under load
  }
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) p?.reject(new Error(msg.error));
    else p?.resolve(msg.result);
  });
  const call = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...message, id });
    });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    start: (name, provider, options) => call<RemoteSimInfo>({ op: 'start', name, provider, options }),
    accepted: (name) => call<RemoteAccepted>({ op: 'accepted', name }),
    async close() {
      if (child.exitCode === null) await call({ op: 'close' }).catch(() => undefined);
      await exited;
    },
  };
}
