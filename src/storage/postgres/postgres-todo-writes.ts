import type pg from 'pg';
import type { OwnerConstraint } from '../../todos/access-policy.js';
import type { ChangeAuthor } from '../../todos/audit-log.js';
import type { Todo } from '../../todos/todo.js';
import type { CreateOptions, CreateOutcome, TodoChanges } from '../../todos/todo-store.js';
import { type TodoRow, toTodo } from '../todo-rows.js';
import { POSTGRES_VALUES } from './postgres-values.js';

/** A `todos` row as pg reads it. */
export type PostgresTodoRow = TodoRow<Date, boolean>;

export const COLUMNS = 'id, owner_id, content, done, created_at, updated_at';

const statementNames = new Map<string, string>();

/**
 * A query config naming its statement, so that each pooled connection parses and plans each
 * statement text once and then only binds and executes it. The texts come from a fixed set of
 * query shapes, so the names stay few.
 */
export function named(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `todos_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** Collects positional parameters and hands out their `$n` placeholders. */
export function parameters(): { values: unknown[]; add(value: unknown): string } {
  const values: unknown[] = [];
  return { values, add: (value) => `$${values.push(value)}` };
}

export function reachClause(reach: OwnerConstraint, add: (value: unknown) => string): string {
  switch (reach.kind) {
    case 'any':
      return '';
    case 'owner':
      return ` AND owner_id = ${add(reach.ownerId)}`;
  }
}

/**
 * The audit insert of a change, as a CTE reading the changed row from `source` (none when the
 * todo was missing or out of reach). It follows `changeEvent`: owner when found, admin action
 * when the owner is not the actor, `ok` or `not_found`. No author: nothing is recorded.
 */
function auditStep(
  action: string,
  todoId: string,
  source: string,
  author: ChangeAuthor | undefined,
  add: (value: unknown) => string,
): string {
  const time = add(author?.time ?? null);
  const actor = add(author?.actor ?? '');
  // A create that was not made (over the cap, or replayed) records nothing; other changes record a miss too.
  const from =
    action === 'create' ? `${source} AS s` : `(VALUES (1)) AS one LEFT JOIN ${source} AS s ON true`;
  return `logged AS (INSERT INTO audit_events
      (occurred_at, action, actor, client_id, todo_id, owner_id, is_admin_action, outcome)
    SELECT ${time}::timestamptz, '${action}', ${actor}::text, ${add(author?.clientId ?? '')}::text, ${add(todoId)}::text,
      s.owner_id, coalesce(s.owner_id <> ${actor}::text, false), CASE WHEN s.owner_id IS NULL THEN 'not_found' ELSE 'ok' END
    FROM ${from} WHERE ${time}::timestamptz IS NOT NULL)`;
}

/**
 * The single statement of a create: the idempotency key looked up, the owner's counter raised
 * by a guarded upsert (`… WHERE count < cap`, which waits for and re-reads a row another create
 * holds, so the cap is exact), the todo, its audit event and its key, all in one round trip.
 */
function createStatement(todo: Todo, options: CreateOptions): { sql: string; values: unknown[] } {
  const p = parameters();
  const owner = `${p.add(todo.ownerId)}::text`;
  const key = `${p.add(options.idempotency?.key ?? null)}::text`;
  const row = [
    p.add(todo.id),
    owner,
    p.add(todo.content),
    p.add(todo.done),
    p.add(todo.createdAt),
    p.add(todo.updatedAt),
  ];
  const sql = `WITH prior AS (
      SELECT result FROM idempotency_keys WHERE owner_id = ${owner} AND key = ${key}
    ), counted AS (
      INSERT INTO todo_counts AS c (owner_id, count) SELECT ${owner}, 1 WHERE NOT EXISTS (SELECT 1 FROM prior)
      ON CONFLICT (owner_id) DO UPDATE SET count = c.count + 1 WHERE c.count < ${p.add(options.cap)}::integer
      RETURNING owner_id
    ), inserted AS (
      INSERT INTO todos (${COLUMNS})
      SELECT ${row[0]}::text, ${row[1]}, ${row[2]}::text, ${row[3]}::boolean, ${row[4]}::timestamptz, ${row[5]}::timestamptz
      FROM counted RETURNING owner_id
    ), ${auditStep('create', todo.id, 'inserted', options.author, p.add)}, keyed AS (
      INSERT INTO idempotency_keys (owner_id, key, result, expires_at)
      SELECT owner_id, ${key}, ${p.add(JSON.stringify(todo))}::text, ${p.add(options.idempotency?.expiresAt ?? null)}::timestamptz
      FROM inserted WHERE ${key} IS NOT NULL
    )
    SELECT (SELECT result FROM prior) AS prior, EXISTS (SELECT 1 FROM inserted) AS created`;
  return { sql, values: p.values };
}

const isKeyRace = (error: unknown) =>
  (error as { code?: unknown; constraint?: unknown }).code === '23505' &&
  (error as { constraint?: unknown }).constraint === 'idempotency_keys_pkey';

/** Runs a create's statement; a create that lost a race for its idempotency key is asked again. */
async function createOnce(
  pool: pg.Pool,
  todo: Todo,
  options: CreateOptions,
  isRetry = false,
): Promise<CreateOutcome> {
  const { sql, values } = createStatement(todo, options);
  try {
    const { rows } = await pool.query<{ prior: string | null; created: boolean }>(named(sql, values));
    const answer = rows[0];
    if (answer?.prior != null) return { kind: 'replayed', todo: JSON.parse(answer.prior) as Todo };
    return answer?.created ? { kind: 'created', todo } : { kind: 'over_cap' };
  } catch (error) {
    // Another create with the same key committed first, and this one rolled back whole. Asked
    // again, the statement finds that create's key and answers with its todo.
    if (isKeyRace(error) && !isRetry) return createOnce(pool, todo, options, true);
    throw error;
  }
}

/** How often expired idempotency keys are purged, at most, per instance. */
const PURGE_EVERY_MS = 60_000;

/** The changes to todos, each a single statement: the change, its counter and its audit event commit together. */
export function postgresTodoWrites(pool: pg.Pool) {
  const one = async (sql: string, values: unknown[]): Promise<Todo | undefined> => {
    const { rows } = await pool.query<PostgresTodoRow>(named(sql, values));
    return rows[0] && toTodo(rows[0], POSTGRES_VALUES);
  };
  let nextPurge = 0;

  return {
    async create(todo: Todo, options: CreateOptions): Promise<CreateOutcome> {
      const now = Date.parse(todo.createdAt);
      if (now >= nextPurge) {
        nextPurge = now + PURGE_EVERY_MS;
        await pool.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [todo.createdAt]);
      }
      return createOnce(pool, todo, options);
    },

    async insert(todo: Todo): Promise<void> {
      await pool.query(
        `WITH inserted AS (
          INSERT INTO todos (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) RETURNING owner_id
        ) INSERT INTO todo_counts AS c (owner_id, count) SELECT owner_id, 1 FROM inserted
          ON CONFLICT (owner_id) DO UPDATE SET count = c.count + 1`,
        [todo.id, todo.ownerId, todo.content, todo.done, todo.createdAt, todo.updatedAt],
      );
    },

    update(id: string, reach: OwnerConstraint, changes: TodoChanges, author?: ChangeAuthor) {
      const p = parameters();
      const set = `content = coalesce(${p.add(changes.content ?? null)}, content),
        done = coalesce(${p.add(changes.done ?? null)}, done), updated_at = ${p.add(changes.updatedAt)}`;
      const sql = `WITH changed AS (
          UPDATE todos SET ${set} WHERE id = ${p.add(id)}${reachClause(reach, p.add)} RETURNING ${COLUMNS}
        ), ${auditStep('update', id, 'changed', author, p.add)}
        SELECT * FROM changed`;
      return one(sql, p.values);
    },

    delete(id: string, reach: OwnerConstraint, author?: ChangeAuthor) {
      const p = parameters();
      const sql = `WITH deleted AS (
          DELETE FROM todos WHERE id = ${p.add(id)}${reachClause(reach, p.add)} RETURNING ${COLUMNS}
        ), uncounted AS (
          UPDATE todo_counts AS c SET count = c.count - 1 FROM deleted WHERE c.owner_id = deleted.owner_id
        ), ${auditStep('delete', id, 'deleted', author, p.add)}
        SELECT * FROM deleted`;
      return one(sql, p.values);
    },
  };
}
