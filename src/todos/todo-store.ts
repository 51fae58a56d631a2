import type { OwnerConstraint } from './access-policy.js';
import type { ChangeAuthor } from './audit-log.js';
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

/** A client-chosen key that makes a retried create return the first result, and how long it holds. */
export interface IdempotencyKey {
  readonly key: string;
  /** ISO 8601; after it the key is forgotten (and purged). */
  readonly expiresAt: string;
}

export interface CreateOptions {
  /** The most todos the owner may have; the store refuses the create atomically at this count. */
  readonly cap: number;
  /** Records the change in the audit trail, in the same transaction. */
  readonly author?: ChangeAuthor;
  readonly idempotency?: IdempotencyKey;
}

/**
 * How a create ended: stored; answered with the todo an earlier create with the same key stored
 * (nothing new is written); or refused because the owner is at the cap.
 */
export type CreateOutcome =
  | { readonly kind: 'created'; readonly todo: Todo }
  | { readonly kind: 'replayed'; readonly todo: Todo }
  | { readonly kind: 'over_cap' };

/**
 * The storage port. Every method that touches an existing todo takes the reach the access policy
 * granted and applies it atomically; a todo outside it behaves as if it did not exist. A change
 * given an `author` commits together with its audit event (see `changeEvent`) or not at all.
 */
export interface TodoStore {
  /** Creates a todo within the owner's cap, counting it in the owner's counter in one transaction. */
  create(todo: Todo, options: CreateOptions): Promise<CreateOutcome>;
  /** Stores a todo without cap or audit (seeding, imports); it is still counted. */
  insert(todo: Todo): Promise<void>;
  /** How many todos one owner has (one counter row: O(1)). */
  countOwned(ownerId: string): Promise<number>;
  /** Up to `limit` todos, newest first: ordered by `createdAt` then `id`, both descending. */
  list(query: ListQuery): Promise<Todo[]>;
  update(
    id: string,
    reach: OwnerConstraint,
    changes: TodoChanges,
    author?: ChangeAuthor,
  ): Promise<Todo | undefined>;
  delete(id: string, reach: OwnerConstraint, author?: ChangeAuthor): Promise<Todo | undefined>;
  /** Throws when the database cannot serve requests. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
