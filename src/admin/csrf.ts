/**
 * CSRF protection for the dashboard's buttons. A browser signed in with HTTP Basic sends the
 * credentials with every request to us — including one a hostile page makes it send — so a POST
 * must prove it came from our own page:
 *
 * - session: a random id in a cookie (HttpOnly, SameSite=Strict, Path=/admin), set by the page
 *   when the browser has none. A cross-site request does not carry it at all.
 * - token: HMAC-SHA256 over the session id, keyed with the API key the page was opened with,
 *   embedded in the page and sent back in the `x-csrf-token` header. Another site can neither read
 *   it (same-origin policy) nor compute it (it does not know the key), nor set a custom header
 *   without a CORS preflight we never answer.
 *
 * Keying the HMAC with the caller's API key keeps this stateless — any API instance can check a
 * token another issued, with no server secret to configure or share — and binds a token to one
 * key: a token seen by one operator is useless with another's credentials.
 * Pure apart from the random session id.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'cd_admin_session';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_ID = /^[A-Za-z0-9_-]{24}$/;

/** A fresh session id: 18 random bytes, base64url (24 characters). */
export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/** The session id in a Cookie header, if it has a well-formed one. */
export function sessionFromCookies(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return SESSION_ID.test(value) ? value : undefined;
  }
  return undefined;
}

/** The Set-Cookie value for a session id; `secure` when the page was served over HTTPS. */
export function sessionCookie(sessionId: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/admin; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The token a page opened with `apiKey` in session `sessionId` embeds. */
export function csrfToken(apiKey: string, sessionId: string): string {
  return createHmac('sha256', apiKey).update(`admin-csrf\0${sessionId}`).digest('base64url');
}

/** Whether `presented` is the token for this key and session (constant time). */
export function validCsrfToken(apiKey: string, sessionId: string | undefined, presented: string | undefined): boolean {
  if (sessionId === undefined || presented === undefined) return false;
  const expected = Buffer.from(csrfToken(apiKey, sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
