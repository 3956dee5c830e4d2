/**
 * The frame every dashboard page shares, and HTML escaping. Pure: pages are strings built from
 * data, escaped at the point of insertion; the browser script then keeps them current.
 *
 * The page has no inline script or style (the CSP forbids both); what the script needs to know —
 * which view this is, the API base, whether to offer buttons — travels in data attributes on
 * <body>, and the CSRF token in a <meta>.
 */
import { ACTION_FROM, ADMIN_ASSET_PREFIX } from './admin-paths.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element body or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export interface PageFrame {
  title: string;
  /** `list`, `detail` or `messages`: what the browser script does on this page. */
  view: 'list' | 'detail' | 'messages';
  /** Where the script reads campaigns (the JSON API as seen from /admin). */
  apiBase: string;
  /** Whether the key may pause, resume and cancel: the buttons exist only then. */
  canAct: boolean;
  csrfToken: string;
  /** Who is signed in: the key's name and scopes. */
  signedInAs: string;
  campaignId?: string;
  /** Already-escaped HTML of the page's <main>. */
  main: string;
}

export function renderPage(frame: PageFrame): string {
  const campaign = frame.campaignId === undefined ? '' : ` data-campaign-id="${escapeHtml(frame.campaignId)}"`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(frame.csrfToken)}">
<title>${escapeHtml(frame.title)} · campaign-dispatch</title>
<link rel="icon" href="${ADMIN_ASSET_PREFIX}/icon.svg">
<link rel="stylesheet" href="${ADMIN_ASSET_PREFIX}/admin.css">
<script type="module" src="${ADMIN_ASSET_PREFIX}/dashboard.js"></script>
</head>
<body data-view="${frame.view}" data-api="${escapeHtml(frame.apiBase)}" data-can-act="${frame.canAct}" data-action-from="${escapeHtml(JSON.stringify(ACTION_FROM))}"${campaign}>
<header>
<a class="brand" href="/admin">campaign-dispatch</a>
<nav><a href="/admin">Campaigns</a> <a href="/admin/messages">Messages</a> <a href="/admin/queues">Job board</a></nav>
<span class="who">${escapeHtml(frame.signedInAs)}</span>
</header>
<main>
<p id="notice" class="notice" role="alert" hidden></p>
${frame.main}
<p class="muted">Updated <span id="updated">at page load</span>.</p>
</main>
</body>
</html>
`;
}
