/**
 * POST /v1/channels/:id/files with `{url}`: the download goes through the SSRF guard, then to the
 * PBX like a multipart upload. A real local file server (port 0) stands for "the internet"; it is
 * reachable only because FETCH_ALLOW_HOSTS names 127.0.0.1, and the tests prove that without that
 * entry — or via a redirect, another name or another scheme — it is never contacted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startYeastarSimulator, type YeastarSimulator } from '../../simulators/index.js';
import { createSecurityHarness, writeCounts, type SecurityHarness } from './security-harness.js';

let files: Server;
let filesUrl: string;
const hits: string[] = [];
let sim: YeastarSimulator;
let allowed: SecurityHarness;
let strict: SecurityHarness;
let allowedChannel: string;
let strictChannel: string;
let connectlyChannel: string;

const PDF = Buffer.from('%PDF-1.4 fake but fine\n');

function serve(req: IncomingMessage, res: ServerResponse): void {
  hits.push(req.url ?? '');
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/brochure.pdf') {
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF.length });
    res.end(PDF);
  } else if (path === '/named') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': 'attachment; filename="price list.txt"' });
    res.end('prices');
  } else if (path === '/to-localhost') {
    res.writeHead(302, { location: `http://localhost:${(files.address() as AddressInfo).port}/brochure.pdf` });
    res.end();
  } else if (path === '/to-metadata') {
    res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end();
  } else if (path === '/loop') {
    res.writeHead(302, { location: '/loop' });
    res.end();
  } else if (path === '/missing') {
    res.writeHead(404);
    res.end();
  } else if (path === '/huge') {
    // No content-length: the cap must be enforced while streaming.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const pump = (): void => {
      while (sent < 200 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  } else {
    res.writeHead(500);
    res.end();
  }
}

async function yeastarChannel(h: SecurityHarness): Promise<string> {
  const res = await h.request({
    method: 'POST',
    url: '/v1/channels',
    payload: {
      name: 'pbx',
      provider: 'yeastar',
      kind: 'whatsapp',
      sender_id: '+15550004000',
      settings: { baseUrl: sim.url, channelType: 'whatsapp' },
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

beforeAll(async () => {
  files = createServer(serve);
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  sim = await startYeastarSimulator();
  allowed = await createSecurityHarness('sec_url_allow', { config: { fetchAllowHosts: ['127.0.0.1'] } });
  strict = await createSecurityHarness('sec_url_strict');
  allowedChannel = await yeastarChannel(allowed);
  strictChannel = await yeastarChannel(strict);
  const c = await strict.request({
    method: 'POST',
    url: '/v1/channels',
    payload: { name: 'c', provider: 'connectly', kind: 'whatsapp', sender_id: '+15550004001', settings: { businessId: 'b' }, credentials: { apiKey: 'k' } },
  });
  connectlyChannel = c.json<{ id: string }>().id;
}, 60_000);

afterAll(async () => {
  await allowed?.close();
  await strict?.close();
  await sim?.close();
  files.closeAllConnections();
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

beforeEach(() => {
  hits.length = 0;
});

const post = (h: SecurityHarness, channelId: string, body: unknown) =>
  h.request({ method: 'POST', url: `/v1/channels/${channelId}/files`, payload: body as Record<string, unknown> });

function uploads(): { files: { name: string; type: string; size: number }[] }[] {
  return sim.requests.filter((r) => r.path.endsWith('/message/batchupload')).map((r) => r.body as { files: { name: string; type: string; size: number }[] });
}

describe('fetching from an allowed host', () => {
  it('downloads the file and stores it with the PBX, answering its File_Info', async () => {
    const before = uploads().length;
    const res = await post(allowed, allowedChannel, { url: `${filesUrl}/brochure.pdf` });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ files: [{ name: 'brochure.pdf', type: 'application/pdf', size: PDF.length }] });
    expect(uploads().slice(before)).toEqual([{ files: [{ name: 'brochure.pdf', type: 'application/pdf', size: PDF.length }] }]);
  });

  it('names the file after Content-Disposition, or after `name`', async () => {
    expect((await post(allowed, allowedChannel, { url: `${filesUrl}/named` })).json()).toMatchObject({ files: [{ name: 'price list.txt' }] });
    expect((await post(allowed, allowedChannel, { url: `${filesUrl}/named`, name: '../../etc/passwd' })).json()).toMatchObject({ files: [{ name: 'passwd' }] });
  });

  it.each([
    ['a redirect to localhost', '/to-localhost', 'URL_NOT_ALLOWED'],
    ['a redirect to the metadata address', '/to-metadata', 'URL_NOT_ALLOWED'],
    ['a redirect loop', '/loop', 'URL_FETCH_FAILED'],
    ['a 404', '/missing', 'URL_FETCH_FAILED'],
  ])('refuses %s with %s and uploads nothing', async (_label, path, code) => {
    const before = uploads().length;
    const res = await post(allowed, allowedChannel, { url: `${filesUrl}${path}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code, field: 'url' } });
    expect(uploads().length).toBe(before);
  });

  it('stops a download past the size cap with 413', async () => {
    const res = await post(allowed, allowedChannel, { url: `${filesUrl}/huge` });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  }, 60_000);
});

describe('without an allow-list entry', () => {
  it.each([
    ['loopback', () => `${filesUrl}/brochure.pdf`],
    ['localhost by name', () => filesUrl.replace('127.0.0.1', 'localhost') + '/brochure.pdf'],
    ['IPv6 loopback', () => filesUrl.replace('127.0.0.1', '[::1]') + '/brochure.pdf'],
    ['IPv4-mapped IPv6 loopback', () => filesUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]') + '/brochure.pdf'],
    ['a decimal IPv4 literal', () => filesUrl.replace('127.0.0.1', '2130706433') + '/brochure.pdf'],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', () => 'http://10.0.0.1/x'],
    ['CGNAT', () => 'http://100.64.0.1/x'],
    ['0.0.0.0', () => 'http://0.0.0.0/x'],
    ['unique-local IPv6', () => 'http://[fd00:ec2::254]/x'],
    ['link-local IPv6', () => 'http://[fe80::1]/x'],
    ['a file: URL', () => 'file:///etc/passwd'],
    ['a gopher: URL', () => 'gopher://127.0.0.1:6379/_INFO'],
    ['user:password@', () => 'http://user:pw@example.com/x'],
  ])('refuses %s with 400 URL_NOT_ALLOWED and never connects', async (_label, url) => {
    const before = await writeCounts(strict.db);
    const res = await post(strict, strictChannel, { url: url() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'URL_NOT_ALLOWED', field: 'url' } });
    expect(hits).toEqual([]);
    expect(await writeCounts(strict.db)).toEqual(before);
  });

  it.each([
    ['no url', {}, 'VALIDATION_FAILED'],
    ['a number', { url: 42 }, 'VALIDATION_FAILED'],
    ['not a URL', { url: 'not a url' }, 'VALIDATION_FAILED'],
    ['an extra field', { url: 'https://example.com/x', extra: true }, 'VALIDATION_FAILED'],
    ['a 3,000-character URL', { url: `https://example.com/${'a'.repeat(3000)}` }, 'VALIDATION_FAILED'],
  ])('refuses a body with %s (%#) as %s', async (_label, body, code) => {
    const res = await post(strict, strictChannel, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code } });
  });

  it('checks the channel before fetching: Connectly → CAPABILITY_NOT_SUPPORTED, unknown id → 404', async () => {
    expect((await post(strict, connectlyChannel, { url: `${filesUrl}/brochure.pdf` })).json()).toMatchObject({ error: { code: 'CAPABILITY_NOT_SUPPORTED' } });
    expect((await post(strict, '00000000-0000-4000-8000-000000000000', { url: `${filesUrl}/brochure.pdf` })).statusCode).toBe(404);
    expect(hits).toEqual([]);
  });
});
