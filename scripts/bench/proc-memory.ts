/**
 * Resident memory of a process from /proc/<pid>/status: VmRSS (now) and VmHWM (the kernel's
 * high-water mark since the process started — start-up included, so a figure of "peak during X"
 * needs a process started just for X).
 */
import { readFileSync } from 'node:fs';

export function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Samples VmRSS every `everyMs`; `stop` returns the peak in kB, VmHWM included. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let max = procKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      max = Math.max(max, procKb(pid, 'VmRSS'));
    } catch {
      // the process is gone; keep what was seen
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        return Math.max(max, procKb(pid, 'VmHWM'));
      } catch {
        return max;
      }
    },
  };
}
