import type { AuditEvent } from '../todos/audit-log.js';
import type { DriverValues } from './driver-values.js';

/** An `audit_events` row as a driver reads it; `Time` and `Flag` are how it returns timestamps and booleans. */
export interface AuditRow<Time, Flag> {
  /** A number, or the decimal text some drivers give a bigint; ids stay far below 2^53. */
  readonly id: number | string;
  readonly occurred_at: Time;
  readonly action: AuditEvent['action'];
  readonly actor: string;
  readonly client_id: string;
  readonly todo_id: string | null;
  readonly owner_id: string | null;
  readonly is_admin_action: Flag;
  readonly outcome: AuditEvent['outcome'];
  readonly tool: string | null;
  readonly scope: string | null;
}

/** The event a row holds; NULL columns become absent fields. */
export function toEvent<Time, Flag>(row: AuditRow<Time, Flag>, values: DriverValues<Time, Flag>): AuditEvent {
  return {
    id: Number(row.id),
    time: values.isoText(row.occurred_at),
    action: row.action,
    actor: row.actor,
    clientId: row.client_id,
    ...(row.todo_id !== null && { todoId: row.todo_id }),
    ...(row.owner_id !== null && { ownerId: row.owner_id }),
    isAdminAction: values.isTrue(row.is_admin_action),
    outcome: row.outcome,
    ...(row.tool !== null && { tool: row.tool }),
    ...(row.scope !== null && { scope: row.scope }),
  };
}
