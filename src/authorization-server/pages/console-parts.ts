import type { ClientOrigin } from '../connected-apps.js';
import { errorBlock, escapeHtml, layout } from './layout.js';

/** What the page after a change says about it (POST-redirect-GET carries it across). */
export interface Notice {
  readonly kind: 'done' | 'error';
  readonly text: string;
  /** A generated password, shown this once and never again. */
  readonly secret?: string;
}

export type ConsoleSection = 'account' | 'accounts' | 'clients' | 'audit';

export interface ConsoleFrame {
  readonly title: string;
  readonly section: ConsoleSection;
  readonly username: string;
  readonly isAdmin: boolean;
  readonly csrf: string;
  readonly notice?: Notice;
}

const LINKS: readonly [ConsoleSection, string, string][] = [
  ['account', '/account', 'Your account'],
  ['accounts', '/admin/accounts', 'Accounts'],
  ['clients', '/admin/clients', 'Clients'],
  ['audit', '/admin/audit', 'Audit trail'],
];

function nav(frame: ConsoleFrame): string {
  const links = LINKS.filter(([section]) => frame.isAdmin || section === 'account').map(
    ([section, href, text]) =>
      `<a href="${href}"${section === frame.section ? ' aria-current="page"' : ''}>${text}</a>`,
  );
  return `<nav aria-label="Console">${links.join('\n')}\n<a href="/session/end">Sign out</a></nav>`;
}

function noticeBlock(notice: Notice | undefined): string {
  if (notice === undefined) return '';
  if (notice.kind === 'error') return errorBlock(notice.text);
  const secret =
    notice.secret === undefined
      ? ''
      : ` Password, shown once: <code id="one-time-password">${escapeHtml(notice.secret)}</code>`;
  return `<p class="done" role="status">${escapeHtml(notice.text)}${secret}</p>`;
}

/** An account or admin page: the navigation, who is signed in, the notice, then the body. */
export function consolePage(frame: ConsoleFrame, body: string): string {
  return layout(
    frame.title,
    `${nav(frame)}
<h1>${escapeHtml(frame.title)}</h1>
<p class="muted">Signed in as <strong>${escapeHtml(frame.username)}</strong></p>
${noticeBlock(frame.notice)}
${body}`,
    { wide: true },
  );
}

export interface PostForm {
  readonly action: string;
  readonly csrf: string;
  readonly button: string;
  /** Hidden fields: name → value. */
  readonly hidden?: Readonly<Record<string, string>>;
  /** Visible fields, already rendered with their labels. */
  readonly fields?: string;
  /** The button's accessible name when its text alone would be ambiguous (one per table row). */
  readonly label?: string;
  readonly className?: string;
}

/** A form that posts with the CSRF token; every change on these pages goes through one. */
export function postForm(form: PostForm): string {
  const hidden = Object.entries({ csrf: form.csrf, ...form.hidden })
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const label = form.label === undefined ? '' : ` aria-label="${escapeHtml(form.label)}"`;
  const className = form.className === undefined ? '' : ` class="${form.className}"`;
  return `<form method="post" action="${escapeHtml(form.action)}">${hidden}${form.fields ?? ''}<button type="submit"${className}${label}>${escapeHtml(form.button)}</button></form>`;
}

const ORIGIN_LABELS: Readonly<Record<ClientOrigin, string>> = {
  dcr: 'dynamic registration',
  'metadata-document': 'metadata document',
  'pre-registered': 'pre-registered',
};

/** How the pages name where a client came from. */
export const originLabel = (origin: ClientOrigin): string => ORIGIN_LABELS[origin];

/** A time as the tables show it: minutes, in UTC (the headings say so). */
export const shortTime = (iso: string | undefined): string =>
  iso === undefined
    ? '—'
    : `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace('T', ' '))}</time>`;

/** A table with a caption for screen readers; rows are already rendered. */
export function table(
  caption: string,
  headings: readonly string[],
  rows: readonly string[],
  empty: string,
): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  const head = headings.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  return `<table>\n<caption>${escapeHtml(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** A table row from cells already rendered. */
export const row = (cells: readonly string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
