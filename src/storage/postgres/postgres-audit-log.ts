import type pg from 'pg';
import type { AuditLog, AuditQuery } from '../../todos/audit-log.js';
import { MAX_AUDIT_PAGE } from '../../todos/audit-log.js';
import { type AuditRow, toEvent } from '../audit-rows.js';
import { POSTGRES_VALUES } from './postgres-values.js';

/** An `audit_events` row as pg reads it. */
type PostgresAuditRow = AuditRow<Date, boolean>;

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
      const { rows } = await pool.query<PostgresAuditRow>(
        `SELECT * FROM audit_events
          WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR actor = $2)
            AND ($4::text IS NULL OR owner_id = $4) AND ($5::text IS NULL OR action = $5)
            AND ($6::timestamptz IS NULL OR occurred_at >= $6) AND ($7::timestamptz IS NULL OR occurred_at < $7)
          ORDER BY id DESC LIMIT $3`,
        [
          query.before ?? null,
          query.actor ?? null,
          Math.min(Math.max(query.limit, 0), MAX_AUDIT_PAGE),
          query.ownerId ?? null,
          query.action ?? null,
          query.since ?? null,
          query.until ?? null,
        ],
      );
      return rows.map((row) => toEvent(row, POSTGRES_VALUES));
    },
  };
}
