import type { OwnerConstraint } from './access-policy.js';
import type { Todo } from './todo.js';

/** The position after which a page continues: keyset pagination, newest first. */
export interface PageKey {
  readonly createdAt: string;
  readonly id: string;
}

export interface ListQuery {
  readonly reach: OwnerConstraint;
  readonly limit: number;
  readonly after?: PageKey;
  readonly done?: boolean;
  /** Case-insensitive substring of the content. */
  readonly text?: string;
}

export interface TodoChanges {
  readonly content?: string;
  readonly done?: boolean;
  readonly updatedAt: string;
}

/**
 * The storage port. Every method that touches an existing todo takes the reach the access policy
 * granted and applies it atomically; a todo outside it behaves as if it did not exist.
 */
export interface TodoStore {
  insert(todo: Todo): Promise<void>;
  /** How many todos one owner has (read off the owner index). */
  countOwned(ownerId: string): Promise<number>;
  /** Up to `limit` todos, newest first: ordered by `createdAt` then `id`, both descending. */
  list(query: ListQuery): Promise<Todo[]>;
  update(id: string, reach: OwnerConstraint, changes: TodoChanges): Promise<Todo | undefined>;
  delete(id: string, reach: OwnerConstraint): Promise<Todo | undefined>;
  /** Throws when the database cannot serve requests. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
