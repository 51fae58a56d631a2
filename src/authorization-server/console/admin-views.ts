import { AppError } from '../../errors.js';
import type { AuditAction, AuditQuery } from '../../todos/audit-log.js';
import { adminAccountsPage, adminGrantsPage } from '../pages/admin-accounts-page.js';
import { type AuditFilters, adminAuditPage } from '../pages/admin-audit-page.js';
import { adminClientsPage } from '../pages/admin-clients-page.js';
import { type ConsoleContext, frameOf, type PageRoute } from './console-route.js';

const AUDIT_PAGE = 50;
const ACTIONS: readonly string[] = ['create', 'update', 'delete', 'denied'];

/** A `datetime-local` value (no zone) read as UTC; anything else a date parses as. */
function instant(value: string, name: string): string | undefined {
  if (value === '') return undefined;
  const time = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(time)) throw new AppError('invalid_params', `${name} is not a date and time.`);
  return new Date(time).toISOString();
}

/** The audit query a filter form asks for; usernames are looked up as subjects. */
async function auditQuery(c: ConsoleContext, f: AuditFilters): Promise<AuditQuery> {
  const subject = async (text: string) =>
    text === ''
      ? undefined
      : ((await c.deps.users.list()).find((u) => u.username === text.toLowerCase())?.id ?? text);
  const before = c.url.searchParams.get('before');
  if (f.action !== '' && !ACTIONS.includes(f.action)) throw new AppError('invalid_params', 'Unknown action.');
  if (before !== null && !/^[1-9]\d{0,15}$/.test(before)) throw new AppError('invalid_params', 'Bad page.');
  const [actor, ownerId] = [await subject(f.actor), await subject(f.owner)];
  const [since, until] = [instant(f.since, 'From'), instant(f.until, 'Until')];
  return {
    limit: AUDIT_PAGE + 1,
    ...(before !== null && { before: Number(before) }),
    ...(actor !== undefined && { actor }),
    ...(ownerId !== undefined && { ownerId }),
    ...(f.action !== '' && { action: f.action as AuditAction }),
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
  };
}

const auditPage: PageRoute = async (c) => {
  const get = (name: string) => (c.url.searchParams.get(name) ?? '').trim().slice(0, 100);
  const filters = {
    actor: get('actor'),
    owner: get('owner'),
    action: get('action'),
    since: get('since'),
    until: get('until'),
  };
  const rows = await c.deps.auditLog.list(await auditQuery(c, filters));
  const events = rows.slice(0, AUDIT_PAGE);
  const names = new Map((await c.deps.users.list()).map((u) => [u.id, u.username]));
  const last = events.at(-1);
  return adminAuditPage(frameOf(c, 'Audit trail', 'audit'), {
    filters,
    events,
    names,
    ...(rows.length > AUDIT_PAGE && last && { nextBefore: last.id }),
  });
};

/** The admin console's pages. */
export const ADMIN_PAGES: Readonly<Record<string, PageRoute>> = {
  '/admin/accounts': async (c) =>
    adminAccountsPage(frameOf(c, 'Accounts', 'accounts'), await c.deps.adminAccounts.list()),
  '/admin/grants': async (c) => {
    const { user, apps } = await c.deps.adminAccounts.grants(c.url.searchParams.get('account') ?? '');
    return adminGrantsPage(frameOf(c, `Apps of ${user.username}`, 'accounts'), user, apps);
  },
  '/admin/clients': async (c) =>
    adminClientsPage(frameOf(c, 'Clients', 'clients'), await c.deps.adminClients.list()),
  '/admin/audit': auditPage,
};
