import type pg from 'pg';
import type { OwnerConstraint } from '../../todos/access-policy.js';
import type { Todo } from '../../todos/todo.js';
import type { ListQuery, TodoChanges, TodoStore } from '../../todos/todo-store.js';
import { type TodoRow, toTodo } from '../todo-rows.js';
import { endPool } from './create-pool.js';
import { POSTGRES_VALUES } from './postgres-values.js';

/** A `todos` row as pg reads it. */
type PostgresTodoRow = TodoRow<Date, boolean>;

const COLUMNS = 'id, owner_id, content, done, created_at, updated_at';

/** Collects positional parameters and hands out their `$n` placeholders. */
function parameters(): { values: unknown[]; add(value: unknown): string } {
  const values: unknown[] = [];
  return { values, add: (value) => `$${values.push(value)}` };
}

function reachClause(reach: OwnerConstraint, add: (value: unknown) => string): string {
  switch (reach.kind) {
    case 'any':
      return '';
    case 'owner':
      return ` AND owner_id = ${add(reach.ownerId)}`;
  }
}

/** One page of a listing as a statement and its values; the filters present decide its text. */
function listStatement(query: ListQuery): { sql: string; values: unknown[] } {
  const p = parameters();
  let where = `WHERE true${reachClause(query.reach, p.add)}`;
  if (query.after !== undefined) {
    where += ` AND (created_at, id) < (${p.add(query.after.createdAt)}::timestamptz, ${p.add(query.after.id)})`;
  }
  if (query.done !== undefined) where += ` AND done = ${p.add(query.done)}`;
  // strpos takes the text literally (no LIKE wildcards); lower() folds all of Unicode under a
  // UTF-8 ctype, and both sides fold the same way.
  if (query.text !== undefined) where += ` AND strpos(lower(content), lower(${p.add(query.text)})) > 0`;
  const sql = `SELECT ${COLUMNS} FROM todos ${where} ORDER BY created_at DESC, id DESC LIMIT ${p.add(query.limit)}`;
  return { sql, values: p.values };
}

/**
 * The `TodoStore` port over PostgreSQL. Every statement runs alone on a pooled connection, and
 * the reach is part of each statement's WHERE clause, so the check and the change are one step.
 */
export function createPostgresTodoStore(pool: pg.Pool): TodoStore {
  const one = async (sql: string, values: unknown[]): Promise<Todo | undefined> => {
    const { rows } = await pool.query<PostgresTodoRow>(sql, values);
    return rows[0] && toTodo(rows[0], POSTGRES_VALUES);
  };

  return {
    async insert(todo) {
      await pool.query(`INSERT INTO todos (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
        todo.id,
        todo.ownerId,
        todo.content,
        todo.done,
        todo.createdAt,
        todo.updatedAt,
      ]);
    },

    async countOwned(ownerId) {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::integer AS n FROM todos WHERE owner_id = $1',
        [ownerId],
      );
      return rows[0]?.n ?? 0;
    },

    async list(query: ListQuery) {
      const { sql, values } = listStatement(query);
      const { rows } = await pool.query<PostgresTodoRow>(sql, values);
      return rows.map((row) => toTodo(row, POSTGRES_VALUES));
    },

    async update(id: string, reach: OwnerConstraint, changes: TodoChanges) {
      const p = parameters();
      const set = `content = coalesce(${p.add(changes.content ?? null)}, content),
        done = coalesce(${p.add(changes.done ?? null)}, done), updated_at = ${p.add(changes.updatedAt)}`;
      const sql = `UPDATE todos SET ${set} WHERE id = ${p.add(id)}${reachClause(reach, p.add)} RETURNING ${COLUMNS}`;
      return one(sql, p.values);
    },

    async delete(id: string, reach: OwnerConstraint) {
      const p = parameters();
      const sql = `DELETE FROM todos WHERE id = ${p.add(id)}${reachClause(reach, p.add)} RETURNING ${COLUMNS}`;
      return one(sql, p.values);
    },

    async ping() {
      await pool.query('SELECT 1');
    },

    close: () => endPool(pool),
  };
}
