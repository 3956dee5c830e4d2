/**
 * Runs both provider simulators as one process (`npm run simulators`), for the demo and manual runs.
 * Environment: YEASTAR_SIM_PORT (4010), CONNECTLY_SIM_PORT (4020), SIM_HOST (127.0.0.1),
 * YEASTAR_SIM_CLIENT_ID / YEASTAR_SIM_CLIENT_SECRET, CONNECTLY_SIM_API_KEY / CONNECTLY_SIM_BUSINESS_ID,
 * CONNECTLY_SIM_RATE_LIMIT (requests/s, unset = none), SIM_WINDOWS_OPEN=1 (every 24 h window open).
 * Control routes on both ports: POST /__sim/inbound {"number"}, GET /__sim/stats, POST /__sim/reset.
 */
import { startConnectlySimulator } from './connectly-simulator.js';
import { startYeastarSimulator } from './yeastar-simulator.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const host = process.env.SIM_HOST || '127.0.0.1';
  const windowsOpen = process.env.SIM_WINDOWS_OPEN === '1';
  const rate = process.env.CONNECTLY_SIM_RATE_LIMIT;
  const yeastar = await startYeastarSimulator({
    port: port('YEASTAR_SIM_PORT', 4010),
    host,
    clientId: process.env.YEASTAR_SIM_CLIENT_ID || undefined,
    clientSecret: process.env.YEASTAR_SIM_CLIENT_SECRET || undefined,
    windowsOpen,
  });
  const connectly = await startConnectlySimulator({
    port: port('CONNECTLY_SIM_PORT', 4020),
    host,
    apiKey: process.env.CONNECTLY_SIM_API_KEY || undefined,
    businessId: process.env.CONNECTLY_SIM_BUSINESS_ID || undefined,
    rateLimitPerSecond: rate ? Number(rate) : undefined,
    windowsOpen,
  });
  process.stdout.write(
    [
      `yeastar simulator   ${yeastar.url}   clientId=${yeastar.clientId} clientSecret=${yeastar.clientSecret}`,
      `connectly simulator ${connectly.url}   businessId=${connectly.businessId} apiKey=${connectly.apiKey}`,
      `24 h windows: ${windowsOpen ? 'all open' : 'closed until POST /__sim/inbound'}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping simulators\n`);
    void Promise.all([yeastar.close(), connectly.close()]).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`simulators failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
