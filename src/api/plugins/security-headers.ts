/**
 * Security headers on every answer of the API (no helmet: the handful we need is set here).
 *
 * - `X-Content-Type-Options: nosniff`: a browser never reinterprets a JSON or CSV answer as HTML
 *   or script — the one thing that would make an echoed value (a campaign name) dangerous.
 * - `Referrer-Policy: no-referrer`: URLs (ids, page cursors) do not leak to other sites.
 * - `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`: no page of ours can be framed.
 * - `Content-Security-Policy`: JSON and other non-HTML answers get `default-src 'none'` (nothing
 *   they contain may load or run anything). HTML answers (the /docs UI, the job board) get a page
 *   policy: scripts only from our origin and never inline, no plugins, no <base>, forms only to
 *   us. Inline *styles* are allowed because both UIs set style attributes from their scripts. A
 *   route that sets its own CSP (@fastify/swagger-ui does for /docs) keeps it.
 * - `Cache-Control: no-store` on /v1 answers: they carry campaign data; no proxy or browser cache
 *   should keep them. Routes that set a Cache-Control keep theirs.
 * - No `X-Powered-By` (Fastify sends none; it is removed should a plugin add one).
 *
 * Not set: Strict-Transport-Security, which belongs to whatever terminates TLS in front of us.
 */
import type { FastifyInstance } from 'fastify';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Register on the root instance before any route, so every encapsulated plugin inherits it. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.removeHeader('x-powered-by');
    if (!reply.hasHeader('content-security-policy')) {
      const type = String(reply.getHeader('content-type') ?? '');
      reply.header('content-security-policy', /^text\/html\b/i.test(type) ? PAGE_CSP : API_CSP);
    }
    if (request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
