import type Database from 'better-sqlite3';
import type { AuditEvent, AuditLog, AuditQuery } from '../../todos/audit-log.js';
import { MAX_AUDIT_PAGE } from '../../todos/audit-log.js';

interface AuditRow {
  id: number;
  occurred_at: string;
  action: AuditEvent['action'];
  actor: string;
  client_id: string;
  todo_id: string | null;
  owner_id: string | null;
  is_admin_action: 0 | 1;
  outcome: AuditEvent['outcome'];
  tool: string | null;
  scope: string | null;
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    time: row.occurred_at,
    action: row.action,
    actor: row.actor,
    clientId: row.client_id,
    ...(row.todo_id !== null && { todoId: row.todo_id }),
    ...(row.owner_id !== null && { ownerId: row.owner_id }),
    isAdminAction: row.is_admin_action === 1,
    outcome: row.outcome,
    ...(row.tool !== null && { tool: row.tool }),
    ...(row.scope !== null && { scope: row.scope }),
  };
}

/** The `AuditLog` port over SQLite; the table's triggers refuse UPDATE and DELETE. */
export function createSqliteAuditLog(db: Database.Database): AuditLog {
  const insert = db.prepare(`INSERT INTO audit_events
    (occurred_at, action, actor, client_id, todo_id, owner_id, is_admin_action, outcome, tool, scope)
    VALUES (@time, @action, @actor, @clientId, @todoId, @ownerId, @isAdminAction, @outcome, @tool, @scope)`);
  // A NULL filter matches everything, so one statement serves every query shape.
  const page = db.prepare(`SELECT * FROM audit_events
    WHERE (@before IS NULL OR id < @before) AND (@actor IS NULL OR actor = @actor)
    ORDER BY id DESC LIMIT @limit`);

  return {
    async record(event) {
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
    },

    async list(query: AuditQuery) {
      const rows = page.all({
        before: query.before ?? null,
        actor: query.actor ?? null,
        limit: Math.min(Math.max(query.limit, 0), MAX_AUDIT_PAGE),
      }) as AuditRow[];
      return rows.map(toEvent);
    },
  };
}
