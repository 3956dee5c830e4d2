/** The bench's side of the simulator process: start it, ask it things, stop it. */
import { setPriority } from 'node:os';
import type { Child } from '../processes.js';
import { startChild } from '../processes.js';
import { SIM_SCRIPT } from '../paths.js';
import type { SimReady, SimReply, SimStats } from './protocol.js';

export interface SimControl {
  child: Child;
  url: string;
  apiKey: string;
  businessId: string;
  stats(): Promise<SimStats>;
  histogram(): Promise<[number, number][]>;
  setLatency(ms: number): Promise<void>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSim(options: { logDir: string; latencyMs?: number }): Promise<SimControl> {
  const child = startChild({
    name: 'simulator',
    script: SIM_SCRIPT,
    env: { ...process.env, SIM_LATENCY_MS: String(options.latencyMs ?? 0) },
    logDir: options.logDir,
    ipc: true,
  });
  const proc = child.process;
  // The simulator stands in for a provider on machines of its own. Sharing two cores with our
  // processes, Postgres and Redis, it can wait tens of milliseconds for a core and stamp arrivals
  // late (measured in the delivery tests: 35–80 ms at load 5–7); a higher scheduling priority keeps
  // its arrival times close to the wire (root only; best effort). Its CPU is reported apart anyway.
  try {
    if (proc.pid !== undefined) setPriority(proc.pid, -10);
  } catch {
    // not permitted: arrival times may be stamped late under load
  }
  const ready = await new Promise<SimReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start; see ${child.logPath}`)), 15_000);
    proc.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as SimReady);
    });
    proc.once('exit', (code) => reject(new Error(`simulator exited (${code}); see ${child.logPath}:\n${child.logTail()}`)));
  });

  let nextId = 1;
  const waiting = new Map<number, (reply: SimReply) => void>();
  proc.on('message', (m) => {
    const reply = m as SimReply;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  function ask<T extends SimReply['type']>(cmd: { type: string; ms?: number }): Promise<Extract<SimReply, { type: T }>> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (!proc.connected) return reject(new Error('simulator is gone'));
      waiting.set(id, (r) => resolve(r as Extract<SimReply, { type: T }>));
      proc.send({ ...cmd, id });
    });
  }

  return {
    child,
    url: ready.url,
    apiKey: ready.apiKey,
    businessId: ready.businessId,
    stats: async () => (await ask<'stats'>({ type: 'stats' })).stats,
    histogram: async () => (await ask<'histogram'>({ type: 'histogram' })).histogram,
    setLatency: async (ms) => void (await ask<'ok'>({ type: 'set-latency', ms })),
    clear: async () => void (await ask<'ok'>({ type: 'clear' })),
    stop: () => child.stop(5_000),
  };
}
