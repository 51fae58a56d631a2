import type Database from 'better-sqlite3';
import type { OwnerConstraint } from '../../todos/access-policy.js';
import type { Todo } from '../../todos/todo.js';
import type { ListQuery, TodoChanges, TodoStore } from '../../todos/todo-store.js';
import { type TodoRow, toTodo } from '../todo-rows.js';
import { SQLITE_VALUES } from './sqlite-values.js';

/** A `todos` row as better-sqlite3 reads it. */
type SqliteTodoRow = TodoRow<string, 0 | 1>;

const COLUMNS = 'id, owner_id, content, done, created_at, updated_at';

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

function reachClause(reach: OwnerConstraint, params: unknown[]): string {
  switch (reach.kind) {
    case 'any':
      return '';
    case 'owner':
      params.push(reach.ownerId);
      return ' AND owner_id = ?';
  }
}

/** One page of a listing as a statement; the filters present decide its text. */
function listStatement(query: ListQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  let where = `WHERE 1 = 1${reachClause(query.reach, params)}`;
  if (query.after !== undefined) {
    where += ' AND (created_at, id) < (?, ?)';
    params.push(query.after.createdAt, query.after.id);
  }
  if (query.done !== undefined) {
    where += ' AND done = ?';
    params.push(query.done ? 1 : 0);
  }
  if (query.text !== undefined) {
    where += ' AND instr(casefold(content), ?) > 0';
    params.push(query.text.toLowerCase());
  }
  params.push(query.limit);
  return { sql: `SELECT ${COLUMNS} FROM todos ${where} ORDER BY created_at DESC, id DESC LIMIT ?`, params };
}

/**
 * Prepares each distinct statement text once; the texts come from a fixed set of query shapes,
 * so the cache stays small.
 */
function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/** The `TodoStore` port over SQLite. Statements are prepared once and reused. */
export function createSqliteTodoStore(db: Database.Database): TodoStore {
  // SQLite's LIKE and lower() fold only ASCII; the text filter folds case in all of Unicode.
  db.function('casefold', { deterministic: true }, (value: unknown) => String(value).toLowerCase());
  const insert = db.prepare(
    `INSERT INTO todos (${COLUMNS}) VALUES (@id, @owner_id, @content, @done, @created_at, @updated_at)`,
  );
  const prepared = statementCache(db);

  return {
    async insert(todo) {
      insert.run(toRow(todo));
    },

    async list(query: ListQuery) {
      const { sql, params } = listStatement(query);
      return (prepared(sql).all(...params) as SqliteTodoRow[]).map((row) => toTodo(row, SQLITE_VALUES));
    },

    async update(id: string, reach: OwnerConstraint, changes: TodoChanges) {
      const params: unknown[] = [
        changes.content ?? null,
        changes.done === undefined ? null : Number(changes.done),
      ];
      params.push(changes.updatedAt, id);
      const sql = `UPDATE todos SET content = coalesce(?, content), done = coalesce(?, done), updated_at = ?
        WHERE id = ?${reachClause(reach, params)} RETURNING ${COLUMNS}`;
      const row = prepared(sql).get(...params) as SqliteTodoRow | undefined;
      return row && toTodo(row, SQLITE_VALUES);
    },

    async delete(id: string, reach: OwnerConstraint) {
      const params: unknown[] = [id];
      const sql = `DELETE FROM todos WHERE id = ?${reachClause(reach, params)} RETURNING ${COLUMNS}`;
      const row = prepared(sql).get(...params) as SqliteTodoRow | undefined;
      return row && toTodo(row, SQLITE_VALUES);
    },

    async countOwned(ownerId) {
      return (prepared('SELECT count(*) AS n FROM todos WHERE owner_id = ?').get(ownerId) as { n: number }).n;
    },

    async ping() {
      prepared('SELECT 1').get();
    },

    async close() {
      db.close();
    },
  };
}
