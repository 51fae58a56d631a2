import type pg from 'pg';
import type { ListQuery, TodoStore } from '../../todos/todo-store.js';
import { endPool } from './create-pool.js';
import { named, parameters, postgresTodoWrites, reachClause } from './postgres-todo-writes.js';

/**
 * A listing's columns, times formatted by the server as the ISO text the domain wrote (stored
 * with milliseconds, in UTC): the driver then makes no Date per time only to format it again.
 */
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const LISTED = `id, content, owner_id, done, to_char(created_at AT TIME ZONE 'UTC', ${ISO}),
  to_char(updated_at AT TIME ZONE 'UTC', ${ISO})`;

/** A listed row, as an array in `LISTED` order. */
type ListedRow = [string, string, string, boolean, string, string];

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
  const sql = `SELECT ${LISTED} FROM todos ${where} ORDER BY created_at DESC, id DESC LIMIT ${p.add(query.limit)}`;
  return { sql, values: p.values };
}

/**
 * The `TodoStore` port over PostgreSQL. Every call is one statement on a pooled connection, and
 * the reach is part of each statement's WHERE clause, so the check and the change are one step.
 */
export function createPostgresTodoStore(pool: pg.Pool): TodoStore {
  const writes = postgresTodoWrites(pool);

  return {
    create: (todo, options) => writes.create(todo, options),
    insert: (todo) => writes.insert(todo),
    update: (id, reach, changes, author) => writes.update(id, reach, changes, author),
    delete: (id, reach, author) => writes.delete(id, reach, author),

    async countOwned(ownerId) {
      const { rows } = await pool.query<{ count: number }>(
        'SELECT count FROM todo_counts WHERE owner_id = $1',
        [ownerId],
      );
      return rows[0]?.count ?? 0;
    },

    async list(query: ListQuery) {
      const { sql, values } = listStatement(query);
      const { rows } = await pool.query<ListedRow>({ ...named(sql, values), rowMode: 'array' });
      return rows.map((row) => ({
        id: row[0],
        content: row[1],
        ownerId: row[2],
        createdAt: row[4],
        updatedAt: row[5],
        done: row[3],
      }));
    },

    async ping() {
      await pool.query('SELECT 1');
    },

    close: () => endPool(pool),
  };
}
