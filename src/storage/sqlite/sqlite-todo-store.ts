import type Database from 'better-sqlite3';
import type { Todo } from '../../todos/todo.js';
import type { ListQuery, TodoStore } from '../../todos/todo-store.js';
import { COLUMNS, reachClause, sqliteTodoWrites } from './sqlite-todo-writes.js';

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
function statementCache(db: Database.Database, isRaw = false): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = isRaw ? db.prepare(sql).raw() : db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/** A listed row in `COLUMNS` order, as a raw statement gives it. */
type RawTodoRow = [string, string, string, 0 | 1, string, string];

/** Rows as arrays skip an object per row and its keys; the hottest read builds todos from them. */
function rawTodo(row: RawTodoRow): Todo {
  return {
    id: row[0],
    content: row[2],
    ownerId: row[1],
    createdAt: row[4],
    updatedAt: row[5],
    done: row[3] === 1,
  };
}

/** The `TodoStore` port over SQLite. Statements are prepared once and reused. */
export function createSqliteTodoStore(db: Database.Database): TodoStore {
  // SQLite's LIKE and lower() fold only ASCII; the text filter folds case in all of Unicode.
  db.function('casefold', { deterministic: true }, (value: unknown) => String(value).toLowerCase());
  const prepared = statementCache(db);
  const listings = statementCache(db, true);
  const writes = sqliteTodoWrites(db, prepared);
  const counted = db.prepare('SELECT count FROM todo_counts WHERE owner_id = ?').pluck();

  return {
    create: async (todo, options) => writes.create(todo, options),
    insert: async (todo) => writes.insert(todo),
    update: async (id, reach, changes, author) => writes.update(id, reach, changes, author),
    delete: async (id, reach, author) => writes.delete(id, reach, author),

    async list(query: ListQuery) {
      const { sql, params } = listStatement(query);
      return (listings(sql).all(...params) as RawTodoRow[]).map(rawTodo);
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
