import { type Actor, hasScope, type TodoScope } from './scopes.js';
import type { Todo } from './todo.js';

/**
 * Which todos an operation may reach. The store applies it in the same statement that reads or
 * writes, so the check and the change cannot drift apart.
 */
export type OwnerConstraint = { readonly kind: 'any' } | { readonly kind: 'owner'; readonly ownerId: string };

/** A decision: allowed within a constraint, or refused for want of a scope (a step-up challenge). */
export type Decision =
  | { readonly allowed: true; readonly reach: OwnerConstraint }
  | { readonly allowed: false; readonly missingScope: TodoScope };

const ANY: OwnerConstraint = { kind: 'any' };
const own = (actor: Actor): OwnerConstraint => ({ kind: 'owner', ownerId: actor.subject });
const allow = (reach: OwnerConstraint): Decision => ({ allowed: true, reach });
const refuse = (missingScope: TodoScope): Decision => ({ allowed: false, missingScope });

/**
 * The one access policy: every tool call is decided here from the caller's scopes and the todo's
 * owner. A todo outside the granted reach is reported exactly like a missing one.
 */
export const accessPolicy = {
  /** Creating needs `create:todos`; the new todo is always the caller's own. */
  create(actor: Actor): Decision {
    return hasScope(actor, 'create:todos') ? allow(own(actor)) : refuse('create:todos');
  },

  /** Everyone lists their own todos; `read:todos` reaches all of them and unlocks `ownerId`. */
  list(actor: Actor, ownerId?: string): Decision {
    if (hasScope(actor, 'read:todos')) {
      return allow(ownerId === undefined ? ANY : { kind: 'owner', ownerId });
    }
    if (ownerId === undefined || ownerId === actor.subject) return allow(own(actor));
    return refuse('read:todos');
  },

  /** Owners update their own todos; no scope extends that to anyone else's. */
  update(actor: Actor): Decision {
    return allow(own(actor));
  },

  /** Owners delete their own todos; `delete:todos` reaches everyone's. */
  delete(actor: Actor): Decision {
    return allow(hasScope(actor, 'delete:todos') ? ANY : own(actor));
  },

  /** The audit trail names every user's actions, so reading it needs `read:todos`. */
  readAudit(actor: Actor): Decision {
    return hasScope(actor, 'read:todos') ? allow(ANY) : refuse('read:todos');
  },
} as const;

/** Whether a todo lies within a constraint. */
export function isWithinReach(reach: OwnerConstraint, todo: Pick<Todo, 'ownerId'>): boolean {
  switch (reach.kind) {
    case 'any':
      return true;
    case 'owner':
      return todo.ownerId === reach.ownerId;
  }
}
