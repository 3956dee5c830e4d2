/**
 * CPU time of processes, from /proc/<pid>/stat (utime + stime, in clock ticks; `getconf CLK_TCK`,
 * normally 100, so the resolution is 10 ms per process). A measurement takes a snapshot of every
 * process of interest before and after the measured interval and sums the differences per group:
 * - `ours`: the API and worker processes the bench started;
 * - `redis`: the redis-server process (INFO's process_id);
 * - `postgres`: the postmaster's auxiliary processes (checkpointer, WAL writer…, which work for every
 *   database) and the backends connected to the bench database — not the bench's own control
 *   connection, which only polls;
 * - `simulator`: the provider simulator's process — not ours, reported beside.
 * A process that started during the interval counts from zero; one that ended during it is lost
 * (its last ticks cannot be read) and is counted in `vanished`.
 * On a shared box Redis and the postgres auxiliaries also work for others: read those groups as
 * upper bounds there.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** Clock ticks per second for /proc times. */
export function clkTck(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/** CPU milliseconds (user + system) of one process so far; undefined when it is gone. */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces; fields after it are counted from its closing ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return ((utime + stime) * 1000) / clkTck();
}

export type CpuGroup = 'ours' | 'redis' | 'postgres' | 'simulator';
export type PidsByGroup = Record<CpuGroup, number[]>;
export type CpuSnapshot = Map<number, { group: CpuGroup; ms: number }>;

export function snapshot(pids: PidsByGroup): CpuSnapshot {
  const snap: CpuSnapshot = new Map();
  for (const group of Object.keys(pids) as CpuGroup[]) {
    for (const pid of pids[group]) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) snap.set(pid, { group, ms });
    }
  }
  return snap;
}

export interface CpuUsage {
  /** CPU ms per group over the interval. */
  ms: Record<CpuGroup, number>;
  /** Processes seen before but gone after (their final ticks are missing from `ms`). */
  vanished: number;
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const ms: Record<CpuGroup, number> = { ours: 0, redis: 0, postgres: 0, simulator: 0 };
  for (const [pid, end] of after) ms[end.group] += end.ms - (before.get(pid)?.ms ?? 0);
  let vanished = 0;
  for (const pid of before.keys()) if (!after.has(pid)) vanished++;
  return { ms, vanished };
}

/**
 * Follows the processes `listPids` names, re-listing and re-reading them every `everyMs`, so a
 * process that starts and ends inside the interval (a Postgres backend the pool closes after 10 s
 * idle) is counted up to its last reading instead of lost. `stop` reads once more and returns the
 * CPU used since `trackCpu` was called; `vanished` counts processes that ended before it.
 */
export async function trackCpu(listPids: () => Promise<PidsByGroup>, everyMs = 250): Promise<{ stop(): Promise<CpuUsage> }> {
  const first = new Map<number, { group: CpuGroup; ms: number }>();
  const last = new Map<number, { group: CpuGroup; ms: number }>();
  let started = false;
  const read = async (): Promise<void> => {
    const snap = snapshot(await listPids());
    for (const [pid, entry] of snap) {
      // Present at the first reading: its CPU so far is not ours to count. Appeared later: from zero.
      if (!first.has(pid)) first.set(pid, started ? { group: entry.group, ms: 0 } : entry);
      last.set(pid, entry);
    }
    started = true;
  };
  let running = true;
  await read();
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, everyMs));
      if (running) await read();
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const live = new Set(snapshot(await listPids()).keys());
      await read();
      const ms: Record<CpuGroup, number> = { ours: 0, redis: 0, postgres: 0, simulator: 0 };
      let vanished = 0;
      for (const [pid, end] of last) {
        ms[end.group] += end.ms - first.get(pid)!.ms;
        if (!live.has(pid)) vanished++;
      }
      return { ms, vanished };
    },
  };
}
