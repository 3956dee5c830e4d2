import type { ServiceProcess } from './children.js';

/** Polls GET /healthz until it answers 200; fails early with the log when the process dies. */
export async function waitHealthy(baseUrl: string, service: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = service.exitStatus();
    if (status !== undefined) {
      throw new Error(`${service.name} exited (${status}) before it was healthy. Last lines of ${service.logPath}:\n${service.logTail()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`${service.name} did not answer ${baseUrl}/healthz within ${timeoutMs / 1000} s; see ${service.logPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
