import { AppError } from '../errors.js';
import { type AuditLog, type ChangeAuthor, changeEvent } from './audit-log.js';
import type { Actor } from './scopes.js';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  isStorableText,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_TODOS_PER_OWNER,
  type Todo,
} from './todo.js';
import type { CreateOutcome, IdempotencyKey } from './todo-store.js';

/** Who is changing todos now, as the store records it with the change. */
export function authorOf(actor: Actor, clock: () => Date): ChangeAuthor {
  return { time: clock().toISOString(), actor: actor.subject, clientId: actor.clientId ?? '' };
}

/**
 * Records a probe with a malformed id, which changes nothing (so the store is not asked) and
 * names no todo worth recording. Changes themselves are recorded by the store, in their own
 * transaction, so a change and its event commit together or not at all.
 */
export async function refused(
  audit: AuditLog | undefined,
  author: ChangeAuthor | undefined,
  action: 'update' | 'delete',
): Promise<undefined> {
  if (audit && author) await audit.record(changeEvent(author, action, undefined, undefined));
  return undefined;
}

/** A checked idempotency key and when it is forgotten. */
export function idempotencyKey(key: string, now: Date): IdempotencyKey {
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !isStorableText(key)) {
    throw new AppError(
      'invalid_params',
      `idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters without NUL or lone surrogates`,
    );
  }
  return { key, expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS).toISOString() };
}

/**
 * The todo a create answers with: the one it stored, or the one an earlier create with the same
 * idempotency key stored, as long as the retry asks for the same content.
 */
export function createdTodo(outcome: CreateOutcome, content: string): Todo {
  switch (outcome.kind) {
    case 'created':
      return outcome.todo;
    case 'replayed':
      if (outcome.todo.content !== content) {
        throw new AppError('invalid_params', 'this idempotencyKey was used for a todo with other content');
      }
      return outcome.todo;
    case 'over_cap':
      throw new AppError('quota_exceeded', `a user may own at most ${MAX_TODOS_PER_OWNER} todos`);
  }
}
