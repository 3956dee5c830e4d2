/** The parent's handle on sim-host.ts: spawn it, script faults, read what the provider received. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../src/db/paths.js';

export type ProviderFault = { kind: 'status'; status: number; retryAfterSeconds?: number } | { kind: 'hang'; fraction: number } | { kind: 'clear' };

export interface ProviderLedger {
  /** Sends the simulator accepted (first sight of their key). */
  accepted: { key: string; to: string; messageId: string }[];
  /** Send requests that reached the simulator (with this key prefix). */
  sendRequests: number;
  requestsByKey: Record<string, number>;
  /** Requests answered from the simulator's idempotency memory (the key had already been accepted). */
  replays: number;
  proxy: { forwarded: number; hungBefore: number; hungAfter: number };
}

export interface SimulatorProcess {
  /** The channel's `settings.baseUrl` (through the fault proxy). */
  baseUrl: string;
  fault(fault: ProviderFault): Promise<void>;
  ledger(keyPrefix: string): Promise<ProviderLedger>;
  stop(): Promise<void>;
}

export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/scripts/chaos/infra/sim-host.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sim-host exited (${code}) before it listened`)));
  });
  const { proxyUrl, controlUrl } = JSON.parse(first) as { proxyUrl: string; controlUrl: string };

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) throw new Error(`sim-host ${method} ${path} → ${res.status}`);
    return (await res.json()) as T;
  }

  return {
    baseUrl: proxyUrl,
    fault: async (fault) => void (await call('POST', '/chaos/fault', fault)),
    ledger: (prefix) => call<ProviderLedger>('GET', `/chaos/ledger?prefix=${encodeURIComponent(prefix)}`),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
