import type Database from 'better-sqlite3';
import type { OwnerConstraint } from '../../todos/access-policy.js';
import { type ChangeAuthor, changeEvent, type NewAuditEvent } from '../../todos/audit-log.js';
import type { Todo } from '../../todos/todo.js';
import type { CreateOptions, CreateOutcome, TodoChanges } from '../../todos/todo-store.js';
import { type TodoRow, toTodo } from '../todo-rows.js';
import { auditWriter } from './sqlite-audit-log.js';
import { SQLITE_VALUES } from './sqlite-values.js';

/** A `todos` row as better-sqlite3 reads it. */
export type SqliteTodoRow = TodoRow<string, 0 | 1>;

export const COLUMNS = 'id, owner_id, content, done, created_at, updated_at';

/** How often expired idempotency keys are purged, at most. */
const PURGE_EVERY_MS = 60_000;

function toRow(todo: Todo): SqliteTodoRow {
  return {
    id: todo.id,
    owner_id: todo.ownerId,
    content: todo.content,
    done: todo.done ? 1 : 0,
    created_at: todo.createdAt,
    updated_at: todo.updatedAt,
  };
}

export function reachClause(reach: OwnerConstraint, params: unknown[]): string {
  switch (reach.kind) {
    case 'any':
      return '';
    case 'owner':
      params.push(reach.ownerId);
      return ' AND owner_id = ?';
  }
}

/** A create within the cap, answered from its idempotency key when one was stored before. */
function createTransaction(db: Database.Database, record: (event: NewAuditEvent) => void) {
  const insertRow = db.prepare(
    `INSERT INTO todos (${COLUMNS}) VALUES (@id, @owner_id, @content, @done, @created_at, @updated_at)`,
  );
  const countWithin = db.prepare(`INSERT INTO todo_counts (owner_id, count) VALUES (?, 1)
    ON CONFLICT (owner_id) DO UPDATE SET count = count + 1 WHERE count < ?`);
  // A key counts until it is purged, so a key is never both expired and in the way of its reuse.
  const findKey = db.prepare('SELECT result FROM idempotency_keys WHERE owner_id = ? AND key = ?');
  const saveKey = db.prepare(
    'INSERT INTO idempotency_keys (owner_id, key, result, expires_at) VALUES (?, ?, ?, ?)',
  );
  const purgeKeys = db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  let nextPurge = '';

  const create = db.transaction((todo: Todo, options: CreateOptions): CreateOutcome => {
    const { idempotency, author } = options;
    if (idempotency !== undefined) {
      const prior = findKey.get(todo.ownerId, idempotency.key) as { result: string } | undefined;
      if (prior !== undefined) return { kind: 'replayed', todo: JSON.parse(prior.result) as Todo };
    }
    if (countWithin.run(todo.ownerId, options.cap).changes === 0) return { kind: 'over_cap' };
    insertRow.run(toRow(todo));
    if (author !== undefined) record(changeEvent(author, 'create', todo.id, todo));
    if (idempotency !== undefined) {
      saveKey.run(todo.ownerId, idempotency.key, JSON.stringify(todo), idempotency.expiresAt);
    }
    return { kind: 'created', todo };
  });

  return (todo: Todo, options: CreateOptions): CreateOutcome => {
    // Expired keys are purged in passing, at most once a minute, never on every call.
    if (todo.createdAt >= nextPurge) {
      purgeKeys.run(todo.createdAt);
      nextPurge = new Date(Date.parse(todo.createdAt) + PURGE_EVERY_MS).toISOString();
    }
    return create.immediate(todo, options);
  };
}

/**
 * The changes to todos, each one immediate transaction holding the change, the owner's counter
 * and its audit event, so they commit together or not at all. The cap is a guarded upsert of the
 * counter row (`… WHERE count < cap`): exact under any concurrency, and O(1) at any list size.
 */
export function sqliteTodoWrites(db: Database.Database, prepared: (sql: string) => Database.Statement) {
  const record = auditWriter(db);
  const insertRow = db.prepare(
    `INSERT INTO todos (${COLUMNS}) VALUES (@id, @owner_id, @content, @done, @created_at, @updated_at)`,
  );
  const count = db.prepare(`INSERT INTO todo_counts (owner_id, count) VALUES (?, 1)
    ON CONFLICT (owner_id) DO UPDATE SET count = count + 1`);
  const uncount = db.prepare('UPDATE todo_counts SET count = count - 1 WHERE owner_id = ?');

  const insert = db.transaction((todo: Todo) => {
    insertRow.run(toRow(todo));
    count.run(todo.ownerId);
  });
  const update = db.transaction(
    (id: string, reach: OwnerConstraint, changes: TodoChanges, author?: ChangeAuthor) => {
      const params: unknown[] = [
        changes.content ?? null,
        changes.done === undefined ? null : Number(changes.done),
      ];
      params.push(changes.updatedAt, id);
      const sql = `UPDATE todos SET content = coalesce(?, content), done = coalesce(?, done), updated_at = ?
        WHERE id = ?${reachClause(reach, params)} RETURNING ${COLUMNS}`;
      const row = prepared(sql).get(...params) as SqliteTodoRow | undefined;
      const todo = row && toTodo(row, SQLITE_VALUES);
      if (author !== undefined) record(changeEvent(author, 'update', id, todo));
      return todo;
    },
  );
  const remove = db.transaction((id: string, reach: OwnerConstraint, author?: ChangeAuthor) => {
    const params: unknown[] = [id];
    const sql = `DELETE FROM todos WHERE id = ?${reachClause(reach, params)} RETURNING ${COLUMNS}`;
    const row = prepared(sql).get(...params) as SqliteTodoRow | undefined;
    const todo = row && toTodo(row, SQLITE_VALUES);
    if (todo !== undefined) uncount.run(todo.ownerId);
    if (author !== undefined) record(changeEvent(author, 'delete', id, todo));
    return todo;
  });

  return {
    create: createTransaction(db, record),
    insert: (todo: Todo) => insert.immediate(todo),
    update: (id: string, reach: OwnerConstraint, changes: TodoChanges, author?: ChangeAuthor) =>
      update.immediate(id, reach, changes, author),
    delete: (id: string, reach: OwnerConstraint, author?: ChangeAuthor) =>
      remove.immediate(id, reach, author),
  };
}
