/**
 * The provider side of a chaos run, as its own process (so a worker's or the API's death cannot
 * take the evidence with it): the Yeastar simulator, the fault proxy in front of it, and a small
 * control server the suite drives over HTTP.
 *   GET  /chaos/ledger?prefix=cd-<campaignId>-   accepted sends and send-request key counts
 *   POST /chaos/fault {"kind":"status","status":503,"retryAfterSeconds"?:n} | {"kind":"hang","fraction":f} | {"kind":"clear"}
 * Prints one JSON line {"proxyUrl", "controlUrl"} on stdout once everything listens.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startYeastarSimulator } from '../../../test/simulators/yeastar-simulator.js';
import { startFaultProxy } from './fault-proxy.js';

/** More sends than any scenario makes: "every send request from now on". */
const FOREVER = 1_000_000_000;

async function main(): Promise<void> {
  const sim = await startYeastarSimulator({ port: 0, windowsOpen: true });
  const simUrl = new URL(sim.url);
  const proxy = await startFaultProxy({ host: simUrl.hostname, port: Number(simUrl.port) });

  function ledger(prefix: string): unknown {
    const accepted = sim
      .acceptedSends()
      .filter((s) => s.idempotencyKey.startsWith(prefix))
      .map((s) => ({ key: s.idempotencyKey, to: s.to, messageId: s.messageId }));
    // Every send request that reached the simulator, by key: >1 means the key was sent again.
    const requestsByKey: Record<string, number> = {};
    let sendRequests = 0;
    for (const r of sim.requests) {
      if (!r.path.endsWith('/message/send')) continue;
      const key = (r.body as { request_id?: unknown } | undefined)?.request_id;
      if (typeof key !== 'string' || !key.startsWith(prefix)) continue;
      sendRequests++;
      requestsByKey[key] = (requestsByKey[key] ?? 0) + 1;
    }
    // One campaign per simulator process, so the simulator's own replay count is this campaign's.
    return { accepted, sendRequests, requestsByKey, replays: sim.duplicateSends(), proxy: proxy.stats() };
  }

  function fault(body: Record<string, unknown>): void {
    sim.faults.clear();
    proxy.setHangFraction(0);
    if (body.kind === 'status') {
      const retryAfterSeconds = typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : undefined;
      sim.faults.failNext(FOREVER, { status: Number(body.status), ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    } else if (body.kind === 'hang') {
      proxy.setHangFraction(Number(body.fraction));
    }
  }

  const control = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      let answer: unknown;
      try {
        if (req.method === 'GET' && url.pathname === '/chaos/ledger') answer = ledger(url.searchParams.get('prefix') ?? '');
        else if (req.method === 'POST' && url.pathname === '/chaos/fault') {
          fault(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
          answer = { ok: true };
        } else {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const controlPort = (control.address() as AddressInfo).port;
  process.stdout.write(
    `${JSON.stringify({ proxyUrl: `http://127.0.0.1:${proxy.port}${simUrl.pathname}`, controlUrl: `http://127.0.0.1:${controlPort}` })}\n`,
  );

  const stop = (): void => {
    void Promise.allSettled([proxy.close(), sim.close(), new Promise((r) => control.close(r))]).then(() => process.exit(0));
    control.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sim-host failed: ${String(err)}\n`);
  process.exit(1);
});
