/**
 * An HTTP proxy in front of the Yeastar simulator that misbehaves on request: the chaos suite's
 * "provider hangs". Status faults (503, 429 + Retry-After) are scripted in the simulator itself
 * (its failNext answers look like the provider's own); a hang needs a proxy because the
 * interesting hang is the one the simulator cannot script — the provider *accepted* the send and
 * its answer never came back — so the retry's idempotency key is what must prevent a second message.
 *
 * With `hangFraction` f, each send request (POST …/message/send) hangs with probability f, half of
 * them before reaching the simulator (nothing sent) and half after (sent, answer swallowed). Hung
 * sockets stay open until the client gives up (its response timeout) or the proxy closes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxyStats {
  forwarded: number;
  hungBefore: number;
  hungAfter: number;
}

export interface FaultProxy {
  port: number;
  setHangFraction(fraction: number): void;
  stats(): FaultProxyStats;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  let hangFraction = 0;
  let alternate = false;
  const stats: FaultProxyStats = { forwarded: 0, hungBefore: 0, hungAfter: 0 };

  const server = http.createServer((req, res) => {
    const isSend = req.method === 'POST' && (req.url ?? '').includes('/message/send');
    let mode: 'pass' | 'before' | 'after' = 'pass';
    if (isSend && hangFraction > 0 && Math.random() < hangFraction) {
      alternate = !alternate;
      mode = alternate ? 'before' : 'after';
    }
    if (mode === 'before') {
      stats.hungBefore++;
      req.resume(); // read and ignore the body; never answer
      return;
    }
    stats.forwarded++;
    const upstream = http.request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        if (mode === 'after') {
          stats.hungAfter++;
          answer.resume(); // the provider answered; the caller never hears of it
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    setHangFraction(fraction) {
      hangFraction = Math.min(1, Math.max(0, fraction));
    },
    stats: () => ({ ...stats }),
    close() {
      agent.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
