/**
 * The response headers every /admin page, script and JSON answer carries. The dashboard is a page
 * a browser keeps credentials for (HTTP Basic), so it is locked down as far as it can be:
 * - CSP: only our own origin may provide scripts, styles, images and fetch targets; no inline
 *   script or style at all (the page has none), no plugins, no <base> rewriting, and no framing;
 * - X-Frame-Options DENY for browsers that predate `frame-ancestors` (click-jacking the buttons);
 * - nosniff, so a JSON answer is never run as a script;
 * - no Referer leaves the page (campaign ids are in its URLs);
 * - no-store: the pages show live numbers and embed a CSRF token; neither belongs in a cache.
 */
export const ADMIN_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});
