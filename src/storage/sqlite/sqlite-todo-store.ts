import type Database from 'better-sqlite3';
import type { ListQuery, TodoStore } from '../../todos/todo-store.js';
import { toTodo } from '../todo-rows.js';
import { COLUMNS, reachClause, type SqliteTodoRow, sqliteTodoWrites } from './sqlite-todo-writes.js';
import { SQLITE_VALUES } from './sqlite-values.js';

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
  const prepared = statementCache(db);
  const writes = sqliteTodoWrites(db, prepared);
  const counted = db.prepare('SELECT count FROM todo_counts WHERE owner_id = ?').pluck();

  return {
    create: async (todo, options) => writes.create(todo, options),
    insert: async (todo) => writes.insert(todo),
    update: async (id, reach, changes, author) => writes.update(id, reach, changes, author),
    delete: async (id, reach, author) => writes.delete(id, reach, author),

    async list(query: ListQuery) {
      const { sql, params } = listStatement(query);
      return (prepared(sql).all(...params) as SqliteTodoRow[]).map((row) => toTodo(row, SQLITE_VALUES));
    },

    async countOwned(ownerId) {
      return (counted.get(ownerId) as number | undefined) ?? 0;
    },

    async ping() {
      prepared('SELECT 1').get();
    },

    async close() {
      db.close();
    },
  };
}
