/**
 * The dashboard's stylesheet and icon, served as /admin/assets/admin.css and icon.svg (the CSP admits styles from our
 * own origin only, and the page has no inline style). Small enough to keep as a string here, so
 * it ships inside the compiled code with nothing to copy at build time.
 */
export const ADMIN_CSS = `
:root { color-scheme: light; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #f9fafb; }
header { display: flex; gap: 24px; align-items: center; padding: 12px 24px; background: #111827; color: #f9fafb; }
header a { color: #f9fafb; text-decoration: none; margin-right: 16px; }
header .brand { font-weight: 600; }
header .who { margin-left: auto; color: #d1d5db; font-size: 13px; }
main { padding: 16px 24px 32px; max-width: 1200px; }
h1 { font-size: 20px; margin: 8px 0 16px; display: flex; gap: 12px; align-items: center; }
h2 { font-size: 15px; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { padding: 8px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
th { background: #f3f4f6; font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: var(--accent); }
.muted { color: var(--muted); font-size: 12px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
progress { width: 140px; height: 10px; }
main > progress { width: 100%; }
.status { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #e5e7eb; }
.status-running { background: #dbeafe; color: #1e40af; }
.status-paused { background: #fef3c7; color: #92400e; }
.status-completed { background: #dcfce7; color: #166534; }
.status-failed, .status-cancelled, .status-expired { background: #fee2e2; color: #991b1b; }
.actions button { font: inherit; padding: 3px 10px; border: 1px solid #9ca3af; border-radius: 4px; background: #fff; cursor: pointer; }
.actions button:disabled { opacity: 0.5; cursor: wait; }
.actions .action-cancel { border-color: #dc2626; color: #b91c1c; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 0 0 12px; }
.facts div { background: #fff; border: 1px solid var(--line); padding: 8px 12px; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; font-size: 18px; font-variant-numeric: tabular-nums; }
canvas { width: 100%; max-width: 960px; background: #fff; border: 1px solid var(--line); }
pre { background: #fff; border: 1px solid var(--line); padding: 8px; }
.notice { background: #fee2e2; color: #991b1b; padding: 8px 12px; border: 1px solid #fecaca; }
`;

/** The tab icon (a browser asks for one; without it, /favicon.ico answers 401 outside /admin). */
export const ADMIN_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2563eb"/>' +
  '<path d="M3 11h2V7H3zm4 0h2V4H7zm4 0h2V8h-2z" fill="#fff"/></svg>';
