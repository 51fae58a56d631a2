import type { AuditLog, NewAuditEvent } from '../todos/audit-log.js';
import { CONSOLE_CLIENT_ID } from './console-client.js';

/** What a person changed on the account page or in the admin console. */
export type ConsoleOperation =
  | 'add-account'
  | 'set-role'
  | 'reset-password'
  | 'remove-account'
  | 'disable-account'
  | 'enable-account'
  | 'change-password'
  | 'sign-out-everywhere'
  | 'revoke-grant'
  | 'revoke-client-grants'
  | 'delete-client';

export interface ConsoleChange {
  /** The subject of the person who made the change. */
  readonly actor: string;
  readonly operation: ConsoleOperation;
  /** The account changed, when the change is to an account. */
  readonly ownerId?: string;
  /** What was set or touched: a role, a client id, a grant id. */
  readonly detail?: string;
}

/**
 * The audit event for a console change. The audit table admits only the todo actions (a CHECK
 * constraint), so until a migration adds an action of its own, a console change is recorded as
 * an `update` whose `tool` is `console:<operation>` and whose `scope` column holds the detail:
 * this function is the one place to change once it has one.
 */
export function consoleAuditEvent(change: ConsoleChange, time: Date): NewAuditEvent {
  return {
    time: time.toISOString(),
    action: 'update',
    actor: change.actor,
    clientId: CONSOLE_CLIENT_ID,
    ...(change.ownerId !== undefined && { ownerId: change.ownerId }),
    isAdminAction: change.ownerId !== change.actor,
    outcome: 'ok',
    tool: `console:${change.operation}`,
    ...(change.detail !== undefined && { scope: change.detail }),
  };
}

/** Records console changes in the audit trail, with the injected clock. */
export function createConsoleAudit(log: AuditLog, clock: () => Date = () => new Date()) {
  return (change: ConsoleChange): Promise<void> => log.record(consoleAuditEvent(change, clock()));
}

export type ConsoleAudit = ReturnType<typeof createConsoleAudit>;
