/** What an audit event is about: a change to a todo, or a call refused for want of a scope. */
export type AuditAction = 'create' | 'update' | 'delete' | 'denied';

/** How it ended: done, aimed at a todo that is missing or out of reach, or refused before the tool ran. */
export type AuditOutcome = 'ok' | 'not_found' | 'denied';

/**
 * One security-relevant event as it is written. It names who acted and on which todo, never
 * the todo's content or any token, so the trail can be read widely without leaking either.
 */
export interface NewAuditEvent {
  /** ISO 8601, from the injected clock. */
  readonly time: string;
  readonly action: AuditAction;
  /** The acting token's subject. */
  readonly actor: string;
  /** The OAuth client the token was issued to; empty when it names none. */
  readonly clientId: string;
  readonly todoId?: string;
  /** The todo's owner, when the todo was found. */
  readonly ownerId?: string;
  /** The actor acted on another user's todo, which only an admin's scopes allow. */
  readonly isAdminAction: boolean;
  readonly outcome: AuditOutcome;
  /** For `denied`: the tool that was called and the scope it needed. */
  readonly tool?: string;
  readonly scope?: string;
}

/** A recorded event: ids grow with every record and are never reused. */
export interface AuditEvent extends NewAuditEvent {
  readonly id: number;
}

export interface AuditQuery {
  /** At most `MAX_AUDIT_PAGE`; adapters cap larger values. */
  readonly limit: number;
  /** Only events older than this id (the previous page's last). */
  readonly before?: number;
  /** Only this actor's events. */
  readonly actor?: string;
  /** Only events about this owner's todos or account. */
  readonly ownerId?: string;
  readonly action?: AuditAction;
  /** Only events at or after this time (ISO 8601). */
  readonly since?: string;
  /** Only events before this time (ISO 8601). */
  readonly until?: string;
}

/** Who made a change and when: what a store needs to record the change's event with it. */
export interface ChangeAuthor {
  /** ISO 8601, from the injected clock. */
  readonly time: string;
  readonly actor: string;
  readonly clientId: string;
}

/**
 * The event a create, update or delete records: the todo's owner when it was found, an admin
 * action when that owner is not the actor, `not_found` when it was missing or out of reach.
 * Stores that build the event in SQL follow this same rule (the contract tests compare them).
 */
export function changeEvent(
  author: ChangeAuthor,
  action: 'create' | 'update' | 'delete',
  todoId: string | undefined,
  todo: { readonly ownerId: string } | undefined,
): NewAuditEvent {
  return {
    time: author.time,
    action,
    actor: author.actor,
    clientId: author.clientId,
    ...(todoId !== undefined && { todoId }),
    ...(todo !== undefined && { ownerId: todo.ownerId }),
    isAdminAction: todo !== undefined && todo.ownerId !== author.actor,
    outcome: todo === undefined ? 'not_found' : 'ok',
  };
}

export const MAX_AUDIT_PAGE = 200;
export const DEFAULT_AUDIT_PAGE = 50;

/**
 * The audit port: an append-only log. Adapters also make the database itself refuse changes to
 * recorded events, so not even a bug in this code (or a stray SQL session) can rewrite history.
 */
export interface AuditLog {
  record(event: NewAuditEvent): Promise<void>;
  /** Up to `limit` events, newest (highest id) first. */
  list(query: AuditQuery): Promise<AuditEvent[]>;
}
