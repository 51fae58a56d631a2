import { AppError } from '../errors.js';
import { accessPolicy, type Decision, type OwnerConstraint } from './access-policy.js';
import type { AuditLog } from './audit-log.js';
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
import { authorOf, createdTodo, idempotencyKey, refused } from './todo-changes.js';
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

export interface CreateRequest {
  /** A retried create with the same key (same owner, within a day) returns the first todo. */
  readonly idempotencyKey?: string;
}

export interface TodoUpdate {
  readonly content?: string;
  readonly done?: boolean;
}

export interface TodoService {
  create(actor: Actor, content: string, options?: CreateRequest): Promise<Todo>;
  list(actor: Actor, options?: ListOptions): Promise<TodoPage>;
  update(actor: Actor, id: string, update: TodoUpdate): Promise<Todo>;
  delete(actor: Actor, id: string): Promise<Todo>;
}

/** The todo use cases: validate input, ask the access policy, and let the store apply its answer. */
export function createTodoService({ store, clock, newId, audit }: TodoServiceDeps): TodoService {
  return {
    async create(actor, rawContent, options = {}) {
      const todo = newTodo(actor, rawContent, clock, newId);
      const idempotency = options.idempotencyKey && idempotencyKey(options.idempotencyKey, clock());
      const outcome = await store.create(todo, {
        cap: MAX_TODOS_PER_OWNER,
        ...(audit && { author: authorOf(actor, clock) }),
        ...(idempotency && { idempotency }),
      });
      return createdTodo(outcome, todo.content);
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
      const author = audit && authorOf(actor, clock);
      if (!isTodoId(id)) return found(await refused(audit, author, 'update'));
      return found(await store.update(id, reach, changes, author));
    },

    async delete(actor, id) {
      const reach = granted(accessPolicy.delete(actor));
      const author = audit && authorOf(actor, clock);
      if (!isTodoId(id)) return found(await refused(audit, author, 'delete'));
      return found(await store.delete(id, reach, author));
    },
  };
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
