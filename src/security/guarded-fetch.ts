/**
 * Downloads a URL a client gave us, without letting the client reach anything internal (SSRF):
 *
 * 1. Only http: and https:, no user:password@ in the URL.
 * 2. The host is resolved once, here; if ANY of its addresses is refused (address-policy.ts) the
 *    fetch is refused — a name that mixes public and private answers is an attack, not a mirror.
 * 3. The connection goes to the address that was checked: the socket's `lookup` returns it without
 *    asking DNS again, so a second, different answer (DNS rebinding) is never used. TLS still
 *    verifies the certificate against the host name.
 * 4. Redirects are followed by hand (at most `maxRedirects`), each hop going through 1-3 again.
 * 5. One deadline for the whole download, redirects included; the body is counted as it arrives
 *    and the download stops as soon as it passes `maxBytes`.
 *
 * Hosts in `allowHosts` skip the address check in 2 (still pinned): the documented way to reach a
 * file server on the private network, and how tests reach a local server.
 * No proxy environment variables are honoured; nothing is decompressed or cached.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { AppError } from '../errors/index.js';
import { forbiddenAddressReason, forbiddenHostName } from './address-policy.js';

export interface FetchPolicy {
  /** Host names / IP literals exempt from the address check (lower case). */
  allowHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
  userAgent?: string;
}

export interface FetchedFile {
  data: Buffer;
  /** The response's media type, without parameters; undefined when it sent none. */
  contentType: string | undefined;
  /** The Content-Disposition file name, if any. */
  dispositionName: string | undefined;
  /** The URL the body came from (after redirects). */
  finalUrl: URL;
}

/** Resolves a host to every address (injectable for tests). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const defaultResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function notAllowed(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('URL_NOT_ALLOWED', message, { field: 'url', details });
}

function fetchFailed(reason: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('URL_FETCH_FAILED', message, { field: 'url', details: { reason, ...details } });
}

/** Parses and checks a URL's form (steps 1 and the name check of 2). */
export function checkUrlForm(raw: string, allowHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'url must be an absolute http(s) URL', { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw notAllowed(`only http and https URLs are fetched, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw notAllowed('URLs with user names or passwords are not fetched');
  const host = hostOf(url);
  if (!allowHosts.includes(host) && forbiddenHostName(host)) throw notAllowed(`the host ${host} is internal`);
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** Resolves and checks the host; returns the address to connect to (step 2). */
async function pinnedAddress(url: URL, policy: FetchPolicy, resolve: Resolver): Promise<{ address: string; family: number }> {
  const host = hostOf(url);
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (err) {
      throw fetchFailed('unresolvable', `the host ${host} cannot be resolved`, { code: (err as { code?: string }).code });
    }
  }
  const first = addresses[0];
  if (!first) throw fetchFailed('unresolvable', `the host ${host} has no address`);
  if (!policy.allowHosts.includes(host)) {
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) throw notAllowed(`the host ${host} is not on the public internet (${reason})`, { host });
    }
  }
  return first;
}

interface Hop {
  status: number;
  location: string | undefined;
  contentType: string | undefined;
  disposition: string | undefined;
  data: Buffer;
}

/** One GET to a pinned address; the body is read only for a 2xx answer. */
function get(url: URL, pinned: { address: string; family: number }, policy: FetchPolicy, signal: AbortSignal): Promise<Hop> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily); give it one.
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const host = hostOf(url);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        lookup,
        signal,
        agent: false,
        headers: { 'user-agent': policy.userAgent ?? 'campaign-dispatch', accept: '*/*' },
        ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const header = (name: string): string | undefined => {
          const v = response.headers[name];
          return Array.isArray(v) ? v[0] : v;
        };
        const hop = { status, location: header('location'), contentType: header('content-type'), disposition: header('content-disposition') };
        if (status < 200 || status >= 300) {
          response.resume();
          resolve({ ...hop, data: Buffer.alloc(0) });
          return;
        }
        const declared = Number(header('content-length'));
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          // Reject first: destroying the response makes it report an abort of its own.
          reject(tooLarge(policy.maxBytes));
          response.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        response.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > policy.maxBytes) {
            reject(tooLarge(policy.maxBytes));
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ ...hop, data: Buffer.concat(chunks) }));
        response.on('error', reject);
        response.on('aborted', () => reject(fetchFailed('incomplete', 'the server closed the connection before the end of the file')));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the file at url is larger than ${maxBytes} bytes`, { field: 'url', details: { limit: maxBytes } });
}

function asFetchError(err: unknown, signal: AbortSignal, timeoutMs: number): unknown {
  if (err instanceof AppError) return err;
  if (signal.aborted) return fetchFailed('timeout', `the download did not finish within ${timeoutMs} ms`);
  const code = (err as { code?: string }).code;
  return fetchFailed('unreachable', `the URL could not be fetched${code ? ` (${code})` : ''}`, { code });
}

/**
 * Downloads `raw` under `policy`.
 * @throws AppError VALIDATION_FAILED (not a URL), URL_NOT_ALLOWED (scheme, credentials, internal
 *   host or address), URL_FETCH_FAILED (unresolvable, unreachable, timeout, non-2xx, too many
 *   redirects), PAYLOAD_TOO_LARGE (over maxBytes).
 */
export async function guardedFetch(raw: string, policy: FetchPolicy, resolve: Resolver = defaultResolver): Promise<FetchedFile> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
  const maxRedirects = policy.maxRedirects ?? 3;
  try {
    let url = checkUrlForm(raw, policy.allowHosts);
    for (let hops = 0; ; hops += 1) {
      const pinned = await pinnedAddress(url, policy, resolve);
      const hop = await get(url, pinned, policy, controller.signal);
      if (hop.status >= 300 && hop.status < 400 && hop.location !== undefined) {
        if (hops >= maxRedirects) throw fetchFailed('too_many_redirects', `more than ${maxRedirects} redirects`);
        url = checkUrlForm(new URL(hop.location, url).toString(), policy.allowHosts);
        continue;
      }
      if (hop.status < 200 || hop.status >= 300) throw fetchFailed('http_status', `the server answered ${hop.status}`, { status: hop.status });
      const contentType = hop.contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
      return { data: hop.data, contentType, dispositionName: dispositionFileName(hop.disposition), finalUrl: url };
    }
  } catch (err) {
    throw asFetchError(err, controller.signal, policy.timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/** The file name in a Content-Disposition header (filename*=UTF-8'' first, then filename=). */
export function dispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/.exec(header);
  return plain?.[1] ?? plain?.[2];
}
