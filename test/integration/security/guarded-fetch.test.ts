/**
 * The SSRF guard against a real local server: one resolution per hop, pinned for the connection
 * (a name the system resolver does not know is reached through the checked address only), mixed
 * public/private answers refused, and one deadline for the whole download.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedFetch, type FetchPolicy, type Resolver } from '../../../src/security/guarded-fetch.js';
import { isAppError } from '../../../src/errors/index.js';

let server: Server;
let port: number;
const seen: { host: string | undefined; url: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ host: req.headers.host, url: req.url });
    if (req.url === '/hang') return; // never answers
    if (req.url === '/hop') {
      res.writeHead(302, { location: `http://files.test:${port}/file.txt` });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('content');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
});

const policy = (allowHosts: string[], timeoutMs = 10_000): FetchPolicy => ({ allowHosts, maxBytes: 1024, timeoutMs });

function countingResolver(answers: Record<string, string[]>): { resolve: Resolver; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolve: async (host) => {
      calls.push(host);
      const list = answers[host];
      if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<{ code?: string; reason?: unknown }> {
  try {
    await promise;
    return {};
  } catch (err) {
    return isAppError(err) ? { code: err.code, reason: err.details?.reason } : { code: 'not an AppError' };
  }
}

it('resolves once per hop and connects to the checked address, keeping the host name', async () => {
  const { resolve, calls } = countingResolver({ 'files.test': ['127.0.0.1'] });
  const fetched = await guardedFetch(`http://files.test:${port}/hop`, policy(['files.test']), resolve);
  expect(fetched.data.toString()).toBe('content');
  expect(fetched.finalUrl.pathname).toBe('/file.txt');
  expect(calls).toEqual(['files.test', 'files.test']);
  expect(seen.map((s) => s.host)).toEqual([`files.test:${port}`, `files.test:${port}`]);
});

it('refuses a name with any internal address among its answers, before connecting', async () => {
  const { resolve } = countingResolver({ 'mixed.test': ['93.184.216.34', '127.0.0.1'], 'inner.test': ['10.1.2.3'] });
  expect(await codeOf(guardedFetch(`http://mixed.test:${port}/x`, policy([]), resolve))).toEqual({ code: 'URL_NOT_ALLOWED', reason: undefined });
  expect(await codeOf(guardedFetch(`http://inner.test:${port}/x`, policy([]), resolve))).toMatchObject({ code: 'URL_NOT_ALLOWED' });
  expect(seen).toEqual([]);
});

it('an unknown name fails as unresolvable; a hanging server as a timeout', async () => {
  const { resolve } = countingResolver({});
  expect(await codeOf(guardedFetch('http://nowhere.test/x', policy([]), resolve))).toEqual({ code: 'URL_FETCH_FAILED', reason: 'unresolvable' });
  expect(await codeOf(guardedFetch(`http://127.0.0.1:${port}/hang`, policy(['127.0.0.1'], 300)))).toEqual({ code: 'URL_FETCH_FAILED', reason: 'timeout' });
});
