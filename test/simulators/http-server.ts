/**
 * The server plumbing both simulators share: buffer the body, parse JSON, record the request at
 * arrival, ask the simulator's handler for an outcome, apply latency, write JSON — or hang.
 * Per-request work is kept small: the demo pushes thousands of sends per second through this.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultScript } from './fault-script.js';
import type { Recorder } from './recorder.js';
import { HANG, type RecordedRequest, type SimAnswer, type SimOutcome } from './types.js';

export interface SimRequest {
  method: string;
  path: string;
  /** The real query (the recorded copy has `access_token` redacted). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON for JSON requests; undefined when empty; the raw text when it is not JSON. */
  body: unknown;
  /** True when the body claimed to be JSON and was not. */
  invalidJson: boolean;
  /** What to record as the body (handlers replace it for multipart uploads). */
  recordBody: unknown;
}

export interface SimServerOptions {
  port: number;
  host: string;
  recorder: Recorder;
  faults: FaultScript;
  handle(req: SimRequest): SimOutcome | Promise<SimOutcome>;
  /** Control routes under /__sim/ for other processes (demo, ops); answered at once, not recorded. */
  control?(req: SimRequest): SimAnswer | Promise<SimAnswer>;
}

export interface SimServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

const REDACTED_QUERY = new Set(['access_token']);

/** Starts the server and resolves once it listens. */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void serve(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 30_000;

  async function serve(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const sreq = toSimRequest(req, rawBody);
    if (sreq.path.startsWith('/__sim/') && options.control) {
      write(res, await safely(() => options.control!(sreq)));
      return;
    }
    const entry: RecordedRequest = {
      at: Date.now(),
      method: sreq.method,
      path: sreq.path,
      query: redactQuery(sreq.query),
      headers: req.headers as Record<string, string>,
      body: sreq.body,
      status: 0,
      response: undefined,
    };
    options.recorder.requests.push(entry);
    const outcome = await safely(() => options.handle(sreq));
    entry.body = sreq.recordBody;
    if (outcome === HANG) return; // the socket stays open until close()
    entry.status = outcome.status;
    entry.response = outcome.body;
    const latency = options.faults.latencyMs();
    if (latency <= 0) {
      write(res, outcome);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      write(res, outcome);
    }, latency);
    timers.add(timer);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    host: options.host,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets and hung requests alike: nothing may outlive close().
        server.closeAllConnections();
      });
    },
  };
}

async function safely(fn: () => SimOutcome | Promise<SimOutcome>): Promise<SimOutcome> {
  try {
    return await fn();
  } catch (err) {
    return { status: 500, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}

function write(res: ServerResponse, outcome: SimOutcome): void {
  if (outcome === HANG || res.destroyed) return;
  const json = outcome.body === undefined ? '' : JSON.stringify(outcome.body);
  res.writeHead(outcome.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...outcome.headers,
  });
  res.end(json);
}

function toSimRequest(req: IncomingMessage, rawBody: Buffer): SimRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query: Record<string, string> = q === -1 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
  let body: unknown;
  let invalidJson = false;
  if (rawBody.length > 0 && (req.headers['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      body = rawBody.toString('utf8');
      invalidJson = true;
    }
  }
  return { method: req.method ?? 'GET', path, query, headers: req.headers, rawBody, body, invalidJson, recordBody: body };
}

function redactQuery(query: Record<string, string>): Record<string, string> {
  let out = query;
  for (const key of REDACTED_QUERY) {
    if (key in query) out = { ...out, [key]: '[redacted]' };
  }
  return out;
}
