/**
 * Runs both provider simulators as one process (`npm run simulators`), for the demo and manual runs.
 * Environment: YEASTAR_SIM_PORT (4010), CONNECTLY_SIM_PORT (4020), SIM_HOST (127.0.0.1),
 * YEASTAR_SIM_CLIENT_ID / YEASTAR_SIM_CLIENT_SECRET, CONNECTLY_SIM_API_KEY / CONNECTLY_SIM_BUSINESS_ID,
 * CONNECTLY_SIM_RATE_LIMIT (requests/s, unset = none), SIM_WINDOWS_OPEN=1 (every 24 h window open).
 * Webhooks: YEASTAR_SIM_WEBHOOK_URL / YEASTAR_SIM_WEBHOOK_SECRET and CONNECTLY_SIM_WEBHOOK_URL /
 * CONNECTLY_SIM_WEBHOOK_SECRET (our API's /v1/webhooks/… and the channel's webhookSecret);
 * SIM_RECEIPTS = none | sent | delivered | read (default read when a webhook URL is set; Yeastar
 * posts 30032 "sent" for any value but none); SIM_RECEIPT_DELAY_MS (default 500) delays receipts so
 * they arrive after the worker has recorded the send, as real ones do.
 * Control routes on both ports: POST /__sim/inbound {"number", "text"?}, GET /__sim/stats, POST /__sim/reset.
 */
import { startConnectlySimulator } from './connectly-simulator.js';
import type { ConnectlyReceiptLevel } from './connectly-events.js';
import type { WebhookDelivery } from './webhook-sender.js';
import { startYeastarSimulator } from './yeastar-simulator.js';

function milliseconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds, got "${raw}"`);
  return value;
}

function receiptLevel(): ConnectlyReceiptLevel {
  const raw = process.env.SIM_RECEIPTS || 'read';
  if (raw !== 'none' && raw !== 'sent' && raw !== 'delivered' && raw !== 'read') throw new Error(`SIM_RECEIPTS must be none, sent, delivered or read, got "${raw}"`);
  return raw;
}

function reportFailure(provider: string): (delivery: WebhookDelivery) => void {
  return (d) => process.stderr.write(`${provider} webhook not accepted: ${d.status || d.error} ${d.response.slice(0, 200)}\n`);
}

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
  const receipts = receiptLevel();
  const receiptDelayMs = milliseconds('SIM_RECEIPT_DELAY_MS', 500);
  const yeastar = await startYeastarSimulator({
    webhookUrl: process.env.YEASTAR_SIM_WEBHOOK_URL || undefined,
    webhookSecret: process.env.YEASTAR_SIM_WEBHOOK_SECRET || undefined,
    receipts: receipts === 'none' ? 'none' : 'sent',
    receiptDelayMs,
    onWebhookFailure: reportFailure('yeastar'),
    port: port('YEASTAR_SIM_PORT', 4010),
    host,
    clientId: process.env.YEASTAR_SIM_CLIENT_ID || undefined,
    clientSecret: process.env.YEASTAR_SIM_CLIENT_SECRET || undefined,
    windowsOpen,
  });
  const connectly = await startConnectlySimulator({
    webhookUrl: process.env.CONNECTLY_SIM_WEBHOOK_URL || undefined,
    webhookSecret: process.env.CONNECTLY_SIM_WEBHOOK_SECRET || undefined,
    receipts,
    receiptDelayMs,
    onWebhookFailure: reportFailure('connectly'),
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
