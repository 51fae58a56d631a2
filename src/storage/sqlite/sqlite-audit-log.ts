import type Database from 'better-sqlite3';
import type { AuditLog, AuditQuery, NewAuditEvent } from '../../todos/audit-log.js';
import { MAX_AUDIT_PAGE } from '../../todos/audit-log.js';
import { type AuditRow, toEvent } from '../audit-rows.js';
import { SQLITE_VALUES } from './sqlite-values.js';

/** An `audit_events` row as better-sqlite3 reads it. */
type SqliteAuditRow = AuditRow<string, 0 | 1>;

/** Writes one event synchronously, so that a store can record it inside its own transaction. */
export function auditWriter(db: Database.Database): (event: NewAuditEvent) => void {
  const insert = db.prepare(`INSERT INTO audit_events
    (occurred_at, action, actor, client_id, todo_id, owner_id, is_admin_action, outcome, tool, scope)
    VALUES (@time, @action, @actor, @clientId, @todoId, @ownerId, @isAdminAction, @outcome, @tool, @scope)`);
  return (event) => {
    insert.run({
      time: event.time,
      action: event.action,
      actor: event.actor,
      clientId: event.clientId,
      todoId: event.todoId ?? null,
      ownerId: event.ownerId ?? null,
      isAdminAction: event.isAdminAction ? 1 : 0,
      outcome: event.outcome,
      tool: event.tool ?? null,
      scope: event.scope ?? null,
    });
  };
}

/** The `AuditLog` port over SQLite; the table's triggers refuse UPDATE and DELETE. */
export function createSqliteAuditLog(db: Database.Database): AuditLog {
  const write = auditWriter(db);
  // A NULL filter matches everything, so one statement serves every query shape.
  const page = db.prepare(`SELECT * FROM audit_events
    WHERE (@before IS NULL OR id < @before) AND (@actor IS NULL OR actor = @actor)
      AND (@owner IS NULL OR owner_id = @owner) AND (@action IS NULL OR action = @action)
      AND (@since IS NULL OR occurred_at >= @since) AND (@until IS NULL OR occurred_at < @until)
    ORDER BY id DESC LIMIT @limit`);

  return {
    async record(event) {
      write(event);
    },

    async list(query: AuditQuery) {
      const rows = page.all({
        before: query.before ?? null,
        actor: query.actor ?? null,
        owner: query.ownerId ?? null,
        action: query.action ?? null,
        // Stored times are toISOString() text, so the bounds compare as text in the same form.
        since: query.since === undefined ? null : new Date(query.since).toISOString(),
        until: query.until === undefined ? null : new Date(query.until).toISOString(),
        limit: Math.min(Math.max(query.limit, 0), MAX_AUDIT_PAGE),
      }) as SqliteAuditRow[];
      return rows.map((row) => toEvent(row, SQLITE_VALUES));
    },
  };
}
