/** A few lines over fetch: the demo talks to the API over HTTP exactly as a client would. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  post<T>(path: string, body: unknown): Promise<T>;
  get<T>(path: string): Promise<T>;
}

export function createApiClient(baseUrl: string, apiKey: string): ApiClient {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; field?: string } })?.error;
      const where = error?.field ? ` (${error.field})` : '';
      throw new ApiError(res.status, error?.code ?? 'UNKNOWN', `${method} ${path} → ${res.status} ${error?.code ?? ''}: ${error?.message ?? text.slice(0, 300)}${where}`);
    }
    return parsed as T;
  }
  return {
    post: (path, body) => request('POST', path, body),
    get: (path) => request('GET', path),
  };
}
