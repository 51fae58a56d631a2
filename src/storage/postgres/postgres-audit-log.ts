import type pg from 'pg';
import type { AuditEvent, AuditLog, AuditQuery } from '../../todos/audit-log.js';
import { MAX_AUDIT_PAGE } from '../../todos/audit-log.js';

interface AuditRow {
  /** bigint arrives as text; ids stay far below 2^53. */
  id: string;
  occurred_at: Date;
  action: AuditEvent['action'];
  actor: string;
  client_id: string;
  todo_id: string | null;
  owner_id: string | null;
  is_admin_action: boolean;
  outcome: AuditEvent['outcome'];
  tool: string | null;
  scope: string | null;
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: Number(row.id),
    time: row.occurred_at.toISOString(),
    action: row.action,
    actor: row.actor,
    clientId: row.client_id,
    ...(row.todo_id !== null && { todoId: row.todo_id }),
    ...(row.owner_id !== null && { ownerId: row.owner_id }),
    isAdminAction: row.is_admin_action,
    outcome: row.outcome,
    ...(row.tool !== null && { tool: row.tool }),
    ...(row.scope !== null && { scope: row.scope }),
  };
}

/** The `AuditLog` port over PostgreSQL; a statement trigger refuses UPDATE, DELETE and TRUNCATE. */
export function createPostgresAuditLog(pool: pg.Pool): AuditLog {
  return {
    async record(event) {
      await pool.query(
        `INSERT INTO audit_events
          (occurred_at, action, actor, client_id, todo_id, owner_id, is_admin_action, outcome, tool, scope)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          event.time,
          event.action,
          event.actor,
          event.clientId,
          event.todoId ?? null,
          event.ownerId ?? null,
          event.isAdminAction,
          event.outcome,
          event.tool ?? null,
          event.scope ?? null,
        ],
      );
    },

    async list(query: AuditQuery) {
      const { rows } = await pool.query<AuditRow>(
        `SELECT * FROM audit_events
          WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR actor = $2)
          ORDER BY id DESC LIMIT $3`,
        [query.before ?? null, query.actor ?? null, Math.min(Math.max(query.limit, 0), MAX_AUDIT_PAGE)],
      );
      return rows.map(toEvent);
    },
  };
}
