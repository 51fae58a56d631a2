import { AppError } from '../errors.js';
import { accessPolicy, type Decision, type OwnerConstraint } from './access-policy.js';
import type { AuditAction, AuditLog } from './audit-log.js';
import { decodeCursor, encodeCursor, filterTag } from './cursor.js';
import type { Actor } from './scopes.js';
import {
  DEFAULT_PAGE_SIZE,
  isStorableText,
  isTodoId,
  MAX_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  MAX_TODOS_PER_OWNER,
  normalizeContent,
  type Todo,
} from './todo.js';
import type { TodoStore } from './todo-store.js';

export interface TodoServiceDeps {
  readonly store: TodoStore;
  readonly clock: () => Date;
  /** Returns a fresh unguessable id of 22 base64url characters. */
  readonly newId: () => string;
  /** Where every create, update and delete is recorded; without one nothing is recorded. */
  readonly audit?: AuditLog;
}

export interface ListOptions {
  readonly limit?: number;
  readonly cursor?: string;
  readonly done?: boolean;
  readonly query?: string;
  readonly ownerId?: string;
}

export interface TodoPage {
  readonly todos: Todo[];
  readonly nextCursor?: string;
}

export interface TodoUpdate {
  readonly content?: string;
  readonly done?: boolean;
}

export interface TodoService {
  create(actor: Actor, content: string): Promise<Todo>;
  list(actor: Actor, options?: ListOptions): Promise<TodoPage>;
  update(actor: Actor, id: string, update: TodoUpdate): Promise<Todo>;
  delete(actor: Actor, id: string): Promise<Todo>;
}

/** The todo use cases: validate input, ask the access policy, and let the store apply its answer. */
export function createTodoService({ store, clock, newId, audit }: TodoServiceDeps): TodoService {
  const record = (actor: Actor, action: AuditAction, id: string, todo: Todo | undefined) =>
    recordChange(audit, clock, { actor, action, id, todo });

  return {
    async create(actor, rawContent) {
      const todo = newTodo(actor, rawContent, clock, newId);
      await checkQuota(store, todo.ownerId);
      await store.insert(todo);
      await record(actor, 'create', todo.id, todo);
      return todo;
    },

    async list(actor, options = {}) {
      const reach = granted(accessPolicy.list(actor, options.ownerId));
      const { limit, text } = checkedFilters(options);
      const tag = filterTag([reach, options.done ?? null, text ?? null]);
      const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, tag);
      const rows = await store.list({
        reach,
        limit: limit + 1,
        ...(after && { after }),
        ...(options.done !== undefined && { done: options.done }),
        ...(text !== undefined && { text }),
      });
      const todos = rows.slice(0, limit);
      const last = todos.at(-1);
      return rows.length > limit && last ? { todos, nextCursor: encodeCursor(last, tag) } : { todos };
    },

    async update(actor, id, update) {
      const reach = granted(accessPolicy.update(actor));
      if (update.content === undefined && update.done === undefined) {
        throw new AppError('invalid_params', 'give content or done to update');
      }
      const changes = {
        ...(update.content !== undefined && { content: normalizeContent(update.content) }),
        ...(update.done !== undefined && { done: update.done }),
        updatedAt: clock().toISOString(),
      };
      const updated = isTodoId(id) ? await store.update(id, reach, changes) : undefined;
      await record(actor, 'update', id, updated);
      return found(updated);
    },

    async delete(actor, id) {
      const reach = granted(accessPolicy.delete(actor));
      const deleted = isTodoId(id) ? await store.delete(id, reach) : undefined;
      await record(actor, 'delete', id, deleted);
      return found(deleted);
    },
  };
}

/**
 * Records a change after the store made it. Writing the event in the change's own transaction
 * would need the store and the log to share one, across two ports; instead a failure to record
 * propagates, so the caller gets an error rather than a success whose trace is missing (the
 * change itself stands). Only well-formed ids are kept: a probe with a malformed one changes
 * nothing and names nothing worth recording.
 */
async function recordChange(
  audit: AuditLog | undefined,
  clock: () => Date,
  change: { actor: Actor; action: AuditAction; id: string; todo: Todo | undefined },
): Promise<void> {
  const { actor, action, id, todo } = change;
  await audit?.record({
    time: clock().toISOString(),
    action,
    actor: actor.subject,
    clientId: actor.clientId ?? '',
    ...(isTodoId(id) && { todoId: id }),
    ...(todo !== undefined && { ownerId: todo.ownerId }),
    isAdminAction: todo !== undefined && todo.ownerId !== actor.subject,
    outcome: todo === undefined ? 'not_found' : 'ok',
  });
}

function granted(decision: Decision): OwnerConstraint {
  if (decision.allowed) return decision.reach;
  throw new AppError('insufficient_scope', `this needs the ${decision.missingScope} scope`);
}

/** Missing and out-of-reach todos are indistinguishable to the caller. */
function found(todo: Todo | undefined): Todo {
  if (todo === undefined) throw new AppError('not_found', 'no such todo');
  return todo;
}

/** A new todo owned by the caller, if the access policy lets it create one. */
function newTodo(actor: Actor, rawContent: string, clock: () => Date, newId: () => string): Todo {
  const reach = granted(accessPolicy.create(actor));
  if (reach.kind !== 'owner') throw new AppError('internal_error', 'todos are created for their owner');
  const now = clock().toISOString();
  return {
    id: newId(),
    content: normalizeContent(rawContent),
    ownerId: reach.ownerId,
    createdAt: now,
    updatedAt: now,
    done: false,
  };
}

/**
 * Checked before the insert: concurrent creates by one user (bounded by the rate limit) may pass
 * the cap by the few in flight, never by more.
 */
async function checkQuota(store: TodoStore, ownerId: string): Promise<void> {
  if ((await store.countOwned(ownerId)) >= MAX_TODOS_PER_OWNER) {
    throw new AppError('quota_exceeded', `a user may own at most ${MAX_TODOS_PER_OWNER} todos`);
  }
}

/** The page size and the trimmed text filter of a listing, checked. */
function checkedFilters(options: ListOptions): { limit: number; text: string | undefined } {
  for (const filter of [options.query, options.ownerId]) {
    if (filter !== undefined && !isStorableText(filter)) {
      throw new AppError('invalid_params', 'filters must not contain NUL characters or lone surrogates');
    }
  }
  const text = options.query?.trim() || undefined;
  if (text !== undefined && text.length > MAX_QUERY_LENGTH) {
    throw new AppError('invalid_params', `query must be at most ${MAX_QUERY_LENGTH} characters`);
  }
  return { limit: pageSize(options.limit), text };
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new AppError('invalid_params', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}
