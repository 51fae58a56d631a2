import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Todo } from '../../src/todos/todo.js';

/** A todo as the bench seeds it; `index` 0 is the oldest. */
export interface SeedPlan {
  readonly total: number;
  readonly users: readonly string[];
  /** The creation time of todo 0; each later todo is one second younger. */
  readonly startMs: number;
}

/** Todo `index` of a plan: owners in turn, one second apart, ids fixed by `idOf`. */
export function seedTodo(plan: SeedPlan, index: number, id: string): Todo {
  const at = new Date(plan.startMs + index * 1000).toISOString();
  const ownerId = plan.users[index % plan.users.length] as string;
  return {
    id,
    content: `Bench todo ${index} of ${ownerId}`,
    ownerId,
    createdAt: at,
    updatedAt: at,
    done: index % 4 === 0,
  };
}

/** Unguessable-looking ids like the server's own: 128 random bits as 22 base64url characters. */
export function newIds(count: number): string[] {
  const bytes = randomBytes(16 * count);
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) ids[i] = bytes.subarray(i * 16, i * 16 + 16).toString('base64url');
  return ids;
}

export interface SeedOutcome {
  /** `bulk`: multi-row inserts in one SQLite transaction; `port`: one `TodoStore.insert` per todo. */
  readonly method: 'bulk' | 'port';
  readonly rows: number;
  readonly ms: number;
  /** Why the bulk path was not taken, when it was not. */
  readonly note?: string;
}

/** How the rows were written, as a phrase for the report. */
export function describeSeed(outcome: SeedOutcome): string {
  return outcome.method === 'bulk'
    ? 'by multi-row inserts in one SQLite transaction, checked column by column against a todo written by TodoStore.insert'
    : `one TodoStore.insert per todo (${outcome.note ?? 'no bulk path'})`;
}

const ROWS_PER_STATEMENT = 500;
const TODO_COLUMNS = ['id', 'owner_id', 'content', 'done', 'created_at', 'updated_at'] as const;

/**
 * Writes todos `from`..`to`-1 of a plan. The store port has no bulk insert and one autocommitted
 * insert per row would take minutes for a million, so for SQLite the seed writes rows itself, in
 * one transaction of multi-row inserts, but only after calibrating against the port: it inserts a
 * probe todo through `TodoStore.insert` and checks that the row it would write is column for
 * column what the adapter wrote. Anything else (PostgreSQL, a changed schema) goes through the
 * port row by row.
 */
export async function seedTodos(
  databaseUrl: string,
  plan: SeedPlan,
  ids: readonly string[],
  from: number,
  to: number,
): Promise<SeedOutcome> {
  const started = performance.now();
  const reason = /^postgres(ql)?:/.test(databaseUrl)
    ? 'PostgreSQL is seeded through the store port'
    : await bulkMismatch(databaseUrl);
  if (reason === undefined) {
    bulkInsert(databaseUrl, plan, ids, from, to);
    return { method: 'bulk', rows: to - from, ms: performance.now() - started };
  }
  const storage = await openStorage(databaseUrl);
  try {
    for (let i = from; i < to; i++) await storage.todos.insert(seedTodo(plan, i, ids[i] as string));
  } finally {
    await storage.close();
  }
  return { method: 'port', rows: to - from, ms: performance.now() - started, note: reason };
}

function sqliteRow(todo: Todo): unknown[] {
  return [todo.id, todo.ownerId, todo.content, todo.done ? 1 : 0, todo.createdAt, todo.updatedAt];
}

/** Undefined when a row written by `bulkInsert` is exactly what the adapter writes; else why not. */
async function bulkMismatch(path: string): Promise<string | undefined> {
  const probe: Todo = {
    id: newIds(1)[0] as string,
    content: 'bench probe',
    ownerId: 'bench-probe',
    createdAt: '2001-02-03T04:05:06.789Z',
    updatedAt: '2001-02-03T04:05:07.890Z',
    done: true,
  };
  const storage = await openStorage(path);
  try {
    await storage.todos.insert(probe);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    let raw: Record<string, unknown> | undefined;
    try {
      raw = db.prepare('SELECT * FROM todos WHERE id = ?').get(probe.id) as
        | Record<string, unknown>
        | undefined;
    } catch (error) {
      return `the todos table cannot be read directly (${(error as Error).message})`;
    } finally {
      db.close();
    }
    if (raw === undefined) return 'the adapter does not store todos in a table named todos keyed by id';
    const expected = sqliteRow(probe);
    const columns = Object.keys(raw);
    if (columns.length !== TODO_COLUMNS.length || !TODO_COLUMNS.every((c, i) => raw[c] === expected[i])) {
      return 'the adapter stores todos differently from what the bulk seed writes';
    }
    return undefined;
  } finally {
    await storage.todos.delete(probe.id, { kind: 'any' });
    await storage.close();
  }
}

/**
 * Sets the per-owner counters (migration 6), which rows written past the port do not raise, from
 * the rows themselves; a schema without them is left alone.
 */
function recount(db: Database.Database): void {
  const hasCounters = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'todo_counts'")
    .get();
  if (hasCounters === undefined) return;
  db.exec(`INSERT INTO todo_counts (owner_id, count) SELECT owner_id, count(*) FROM todos WHERE true GROUP BY owner_id
    ON CONFLICT (owner_id) DO UPDATE SET count = excluded.count`);
}

function bulkInsert(path: string, plan: SeedPlan, ids: readonly string[], from: number, to: number): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.pragma('cache_size = -524288');
    const placeholders = (rows: number) =>
      Array.from({ length: rows }, () => `(${TODO_COLUMNS.map(() => '?').join(', ')})`).join(', ');
    const sql = (rows: number) =>
      `INSERT INTO todos (${TODO_COLUMNS.join(', ')}) VALUES ${placeholders(rows)}`;
    const full = db.prepare(sql(ROWS_PER_STATEMENT));
    const insertAll = db.transaction(() => {
      for (let start = from; start < to; start += ROWS_PER_STATEMENT) {
        const end = Math.min(start + ROWS_PER_STATEMENT, to);
        const values: unknown[] = [];
        for (let i = start; i < end; i++) values.push(...sqliteRow(seedTodo(plan, i, ids[i] as string)));
        (end - start === ROWS_PER_STATEMENT ? full : db.prepare(sql(end - start))).run(...values);
      }
    });
    insertAll.immediate();
    recount(db);
    // Fold the write-ahead log into the database so that reads do not start out slower.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
