/**
 * A small HTTP server for a process that has no API of its own (the worker): GET /healthz,
 * GET /readyz and GET /metrics, the same answers as the API's routes. Plain node:http — three
 * fixed paths need no framework, and it stays up while the worker is busy or shutting down.
 *
 * Listen on a port of its own (WORKER_HEALTH_PORT, default 9464 — Prometheus' registered exporter
 * port range); nothing here needs authentication, so keep the port off the public network.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import { createReadiness, type ReadinessCheck } from './readiness.js';

export interface HealthServerOptions {
  port: number;
  /** Default all interfaces (the scrape and the orchestrator's probes come from outside). */
  host?: string;
  registry: Registry;
  checks: readonly ReadinessCheck[];
  /** Liveness beyond "the process answers", e.g. `() => !worker.closing`; default always live. */
  live?: () => boolean;
  log: Logger;
}

export interface HealthServer {
  /** The port it listens on (the real one when asked for port 0). */
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

/** Starts listening; resolves once the port is bound, rejects if it cannot be. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const log = options.log.child({ module: 'health-server' });
  const readiness = createReadiness(options.checks);
  const live = options.live ?? (() => true);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET only' } });
    if (path === '/healthz') return live() ? json(res, 200, { status: 'ok' }) : json(res, 503, { status: 'stopping' });
    if (path === '/readyz') {
      const report = await readiness();
      if (report.ready) return json(res, 200, { status: 'ready', checks: report.checks });
      return json(res, 503, { status: 'not_ready', checks: report.checks, errors: report.errors });
    }
    if (path === '/metrics') return send(res, 200, options.registry.contentType, await options.registry.metrics());
    return json(res, 404, { error: { code: 'NOT_FOUND', message: 'try /healthz, /readyz or /metrics' } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'health server request failed');
      if (!res.headersSent) json(res, 500, { error: { code: 'INTERNAL', message: 'see the worker log' } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'health server listening');

  return {
    port,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections from a scraper would hold close() open until they time out.
        server.closeAllConnections();
      });
    },
  };
}
