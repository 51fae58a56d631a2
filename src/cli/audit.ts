import { AppError } from '../errors.js';
import { type AuditEvent, MAX_AUDIT_PAGE } from '../todos/audit-log.js';
import { parseActionArgs } from './args.js';
import type { CliIo } from './io.js';
import { printUsage } from './usage.js';
import { withStorage } from './with-storage.js';

export const AUDIT_USAGE = `Usage:
  todo-manager audit tail [--limit <n>] [--actor <sub>] [--database-url <url>]

Prints the newest audit events, one a line, oldest of them first: every create, update and
delete of a todo and every call refused for want of a scope. Events are append-only and never
hold todo content or tokens.

Options:
  --limit <n>                     How many events, 1 to ${MAX_AUDIT_PAGE} (default 20)
  --actor <sub>                   Only this token subject's events
  --database-url <url>            [DATABASE_URL]
  -h, --help                      Show this help`;

/** `audit tail`: the newest audit events, oldest of them first. */
export async function runAudit(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseActionArgs(args, {
    limit: { type: 'string' },
    actor: { type: 'string' },
    'database-url': { type: 'string' },
  });
  const [action] = positionals;
  if (values.help || action === undefined) return printUsage(io, AUDIT_USAGE, values.help === true);
  if (action !== 'tail') throw new AppError('invalid_params', `unknown audit command "${action}"`);
  const limit = Number(values.limit ?? '20');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
    throw new AppError('invalid_params', `--limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
  }
  const events = await withStorage(io, values['database-url'], (storage) =>
    storage.audit.list({ limit, ...(values.actor !== undefined && { actor: values.actor }) }),
  );
  for (const event of events.reverse()) io.stdout.write(`${auditLine(event)}\n`);
  return 0;
}

/** One event as one line: `<time> #<id> <action> <outcome> actor=… client=…` and what else it names. */
function auditLine(event: AuditEvent): string {
  const fields = [
    event.time,
    `#${event.id}`,
    event.action,
    event.outcome,
    `actor=${event.actor}`,
    `client=${event.clientId || '-'}`,
    event.todoId !== undefined && `todo=${event.todoId}`,
    event.ownerId !== undefined && `owner=${event.ownerId}`,
    event.isAdminAction && 'admin-action',
    event.tool !== undefined && `tool=${event.tool}`,
    event.scope !== undefined && `scope=${event.scope}`,
  ];
  // Subjects and client ids come from tokens: keep any control character from shaping the terminal.
  return fields
    .filter((field) => typeof field === 'string')
    .join(' ')
    .replace(/\p{Cc}/gu, '?');
}
