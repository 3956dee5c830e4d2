/**
 * Who is asking, for every /admin route: the same API keys as the JSON API, read the way the job
 * board reads them (src/api/plugins/board-credential.ts) — HTTP Basic for browsers (any user name,
 * the key as password), or `Authorization: Bearer <key>` for scripts and tests.
 *
 * A request without a valid key gets 401 with a Basic challenge, so a browser shows its sign-in
 * prompt instead of an error; every /admin route needs the `read` scope, and the state-changing
 * ones add `admin` (checked where they are declared).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import { boardCredential } from '../api/plugins/board-credential.js';
import { ERROR_CODES, type ErrorCode } from '../errors/index.js';

export const ADMIN_REALM = 'campaign-dispatch';
export const BASIC_CHALLENGE = `Basic realm="${ADMIN_REALM}", charset="UTF-8"`;

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key as presented (Basic password or Bearer token); set on /admin routes only. */
    adminCredential?: string;
  }
}

/** Answers with the API's error shape (and the Basic challenge on 401); returns the reply for hooks. */
export function refuseAdmin(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  if (code === 'UNAUTHENTICATED') reply.header('www-authenticate', BASIC_CHALLENGE);
  return reply.code(ERROR_CODES[code].status).send({ error: { code, message } });
}

/** An onRequest hook for the /admin scope: authenticates, requires `read`, remembers the key. */
export function adminAuthHook(authenticator: Authenticator) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const credential = boardCredential(request.headers.authorization);
    const key = await authenticator.authenticate(credential);
    if (!key || credential === undefined) {
      return refuseAdmin(reply, 'UNAUTHENTICATED', 'sign in with an API key as the password (any user name), or send "Authorization: Bearer <key>"');
    }
    if (!key.scopes.includes('read')) return refuseAdmin(reply, 'FORBIDDEN', 'this API key lacks the "read" scope');
    request.apiKey = key;
    request.adminCredential = credential;
    return undefined;
  };
}
