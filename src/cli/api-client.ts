/**
 * The CLI's HTTP client for the API: Node's fetch with the Bearer key, JSON in and out, and every
 * failure turned into an error with the exit code it means (exit-codes.ts) at this one boundary —
 * a refused or timed-out connection is EXIT_UNREACHABLE, 401/403 EXIT_AUTH, any other error
 * answer EXIT_FAILURE with the API's error code.
 *
 * Nothing is retried here: POSTs are not idempotent (a launch or an upload sent twice is not the
 * same as once), and the one loop that polls (follow.ts) decides for itself what to tolerate.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { ApiError, CliError, EXIT_UNREACHABLE } from './exit-codes.js';

/** A GET or a small POST should answer within this; uploads have no limit (they stream the file). */
const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiClientOptions {
  /** e.g. http://127.0.0.1:3000 (a trailing slash is fine). */
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

export interface ApiClient {
  readonly baseUrl: string;
  get<T>(path: string): Promise<T>;
  /** POST with a JSON body, or with none when `body` is undefined. */
  post<T>(path: string, body?: unknown): Promise<T>;
  /** POST the file as `text/csv`, streamed from disk. */
  postCsvFile<T>(path: string, file: string): Promise<T>;
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if ((err as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.code) return new ApiError(res.status, body.error.code, body.error.message ?? res.statusText);
  } catch {
    // Not our error shape (a proxy in between?): report the status and the start of the body.
  }
  return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText);
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;

  async function call<T>(path: string, init: RequestInit & { duplex?: 'half' }, timed: boolean): Promise<T> {
    let res: Response;
    try {
      res = await fetch(baseUrl + path, {
        ...init,
        headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json', ...init.headers },
        signal: timed ? AbortSignal.timeout(timeoutMs) : undefined,
      });
    } catch (err) {
      throw new CliError(`cannot reach the API at ${baseUrl} (${describeNetworkError(err)})`, EXIT_UNREACHABLE, { cause: err });
    }
    if (!res.ok) throw await errorFrom(res);
    return (await res.json()) as T;
  }

  return {
    baseUrl,
    get: (path) => call(path, { method: 'GET' }, true),
    post: (path, body) =>
      call(
        path,
        body === undefined ? { method: 'POST' } : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
        true,
      ),
    postCsvFile: (path, file) =>
      call(
        path,
        {
          method: 'POST',
          body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
          // A streamed request body: fetch sends it as it is read, chunked.
          duplex: 'half',
          headers: { 'content-type': 'text/csv' },
        },
        false,
      ),
  };
}
