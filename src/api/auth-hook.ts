/**
 * Every route needs `Authorization: Bearer <key>` unless its config says `public: true`; a route's
 * `scope` config names the scope the key must carry. Runs on request, before the body is read, so
 * an unauthenticated caller costs no parsing. Unknown routes are authenticated too (401 before 404),
 * which keeps the route list private.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeyRecord, Scope } from '../auth/api-keys.js';
import type { Authenticator } from '../auth/authenticator.js';
import { AppError } from '../errors/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No API key needed (health checks). */
    public?: boolean;
    /** The scope the API key needs for this route. */
    scope?: Scope;
  }
  interface FastifyRequest {
    /** The authenticated key; null on public routes. */
    apiKey: ApiKeyRecord | null;
  }
}

/** The key in an `Authorization: Bearer <key>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function registerAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const config = request.routeOptions.config;
    if (config?.public) return;
    const key = await authenticator.authenticate(bearerToken(request.headers.authorization));
    if (!key) {
      throw new AppError('UNAUTHENTICATED', 'send a valid API key as "Authorization: Bearer <key>"');
    }
    request.apiKey = key;
    const scope = config?.scope;
    if (scope && !key.scopes.includes(scope)) {
      throw new AppError('FORBIDDEN', `this API key lacks the "${scope}" scope`, { details: { required_scope: scope } });
    }
  });
}
