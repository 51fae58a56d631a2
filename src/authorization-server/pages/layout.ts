import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
  font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d2330}
main{width:100%;max-width:380px;margin:24px;padding:32px;background:#fff;border-radius:12px;
  box-shadow:0 1px 3px rgba(0,0,0,.08),0 8px 24px rgba(0,0,0,.06)}
h1{margin:0 0 4px;font-size:22px}
p{margin:0 0 16px;color:#4a5264}
label{display:block;margin:16px 0 6px;font-weight:600;font-size:14px}
input{width:100%;padding:10px 12px;border:1px solid #c8ccd4;border-radius:8px;font:inherit}
input:focus{outline:2px solid #3563e9;outline-offset:1px;border-color:#3563e9}
button{width:100%;margin-top:24px;padding:11px;border:0;border-radius:8px;background:#3563e9;color:#fff;
  font:inherit;font-weight:600;cursor:pointer}
button.secondary{margin-top:10px;background:#fff;color:#3563e9;border:1px solid #c8ccd4}
.error{margin:16px 0 0;padding:10px 12px;border-radius:8px;background:#fdecec;color:#a1141c}
.note{margin:16px 0 4px;padding:10px 12px;border-radius:8px;background:#fff6e0;color:#6b4a00}
.refused li{color:#6b7385}
ul{margin:0 0 8px;padding-left:20px}
li{margin:4px 0}
code{font-size:14px}
.brand{font-size:13px;letter-spacing:.04em;text-transform:uppercase;color:#6b7385;margin-bottom:18px}
main.wide{max-width:960px}
h2{margin:28px 0 8px;font-size:18px}
nav{display:flex;flex-wrap:wrap;gap:6px 18px;margin:0 0 20px;font-size:14px}
nav a{color:#3563e9}
nav a[aria-current=page]{color:#1d2330;font-weight:700;text-decoration:none}
table{width:100%;border-collapse:collapse;margin:8px 0 16px;font-size:14px}
th,td{text-align:left;padding:8px 6px;border-bottom:1px solid #e3e6ea;vertical-align:middle}
td code{font-size:13px;white-space:nowrap}
td small{display:block;max-width:220px;color:#6b7385;word-break:break-all}
time{white-space:nowrap}
caption{text-align:left;font-size:13px;color:#6b7385}
td form{display:inline-flex;gap:6px;align-items:center;margin:0}
button.small{width:auto;margin:0;padding:6px 10px;font-size:14px}
button.danger{background:#b42318}
select{padding:6px 8px;border:1px solid #c8ccd4;border-radius:8px;font:inherit;font-size:14px}
.row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end}
.row label{margin:0 0 6px}
.row>div{flex:1 1 160px}
.row button{width:auto;margin:0}
.done{margin:16px 0 0;padding:10px 12px;border-radius:8px;background:#e7f6ec;color:#0f5b2a}
.muted{color:#6b7385}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** Headers for every page: no external assets, no framing, nothing cached. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own form posts.
  'referrer-policy': 'same-origin',
} as const;

/**
 * A whole page: our look, the title, and the body's HTML (already escaped where it must be);
 * `wide` for the account and admin pages, whose tables need the room.
 */
export function layout(title: string, body: string, { wide = false } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Todo Manager</title>
<style>${STYLE}</style>
</head>
<body><main${wide ? ' class="wide"' : ''}>
<div class="brand">Todo Manager</div>
${body}
</main></body>
</html>`;
}

/** A message announced to screen readers as an alert. */
export const errorBlock = (message: string | undefined) =>
  message === undefined ? '' : `<p class="error" role="alert">${escapeHtml(message)}</p>`;
