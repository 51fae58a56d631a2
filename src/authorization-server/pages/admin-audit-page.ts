import type { AuditEvent } from '../../todos/audit-log.js';
import { type ConsoleFrame, consolePage, row, shortTime, table } from './console-parts.js';
import { escapeHtml } from './layout.js';

/** The audit filters as typed into the form (text, so that the form shows them again). */
export interface AuditFilters {
  readonly actor: string;
  readonly owner: string;
  readonly action: string;
  readonly since: string;
  readonly until: string;
}

export interface AuditView {
  readonly filters: AuditFilters;
  readonly events: readonly AuditEvent[];
  /** The id to page on from, when there are older events. */
  readonly nextBefore?: number;
  /** Usernames by subject, to show names rather than ids. */
  readonly names: ReadonlyMap<string, string>;
}

const ACTIONS = ['', 'create', 'update', 'delete', 'denied'];

function filterForm(f: AuditFilters): string {
  const text = (id: keyof AuditFilters, label: string, type = 'text', hint = '') =>
    `<div><label for="${id}">${label}</label><input id="${id}" name="${id}" type="${type}" value="${escapeHtml(f[id])}"${hint}></div>`;
  const options = ACTIONS.map(
    (a) => `<option value="${a}"${a === f.action ? ' selected' : ''}>${a === '' ? 'any' : a}</option>`,
  ).join('');
  return `<form method="get" action="/admin/audit"><div class="row">
${text('actor', 'Actor (username or subject)')}
${text('owner', 'Owner (username or subject)')}
<div><label for="action">Action</label><select id="action" name="action">${options}</select></div>
${text('since', 'From (UTC)', 'datetime-local')}
${text('until', 'Until (UTC)', 'datetime-local')}
<button type="submit" class="small">Filter</button>
</div></form>`;
}

function eventRow(event: AuditEvent, names: ReadonlyMap<string, string>): string {
  const who = (id: string | undefined) => (id === undefined ? '—' : escapeHtml(names.get(id) ?? id));
  const what = [event.tool, event.scope].filter((part) => part !== undefined).join(' ');
  return row([
    String(event.id),
    shortTime(event.time),
    escapeHtml(event.action),
    who(event.actor),
    who(event.ownerId),
    `<code>${escapeHtml(event.clientId || '—')}</code>`,
    escapeHtml(event.outcome),
    escapeHtml(what || (event.todoId ?? '')),
  ]);
}

/** The audit trail, newest first, filtered, a page at a time. */
export function adminAuditPage(frame: ConsoleFrame, view: AuditView): string {
  const query = new URLSearchParams(Object.entries(view.filters).filter(([, v]) => v !== ''));
  const older =
    view.nextBefore === undefined
      ? ''
      : `<a href="/admin/audit?${escapeHtml(new URLSearchParams([...query, ['before', String(view.nextBefore)]]).toString())}">Older events</a>`;
  const rows = view.events.map((event) => eventRow(event, view.names));
  return consolePage(
    frame,
    `${filterForm(view.filters)}
${table('Audit events, newest first', ['#', 'Time (UTC)', 'Action', 'Actor', 'Owner', 'Client', 'Outcome', 'Detail'], rows, 'No events match.')}
<p><a href="/admin/audit?${escapeHtml(query.toString())}">Newest</a> ${older}</p>`,
  );
}
