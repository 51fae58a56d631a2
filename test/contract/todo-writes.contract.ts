import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { type AuditLog, type ChangeAuthor, changeEvent } from '../../src/todos/audit-log.js';
import { newTodoId, type Todo } from '../../src/todos/todo.js';
import type { CreateOptions, TodoStore } from '../../src/todos/todo-store.js';

export interface WritesUnderTest {
  readonly store: TodoStore;
  readonly audit: AuditLog;
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2026-06-01T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const author = (actor: string, offsetMs = 0): ChangeAuthor => ({
  time: at(offsetMs),
  actor,
  clientId: 'app',
});

function todo(ownerId = 'alice', offsetMs = 0): Todo {
  return {
    id: newTodoId(),
    content: 'write it',
    ownerId,
    createdAt: at(offsetMs),
    updatedAt: at(offsetMs),
    done: false,
  };
}

/**
 * What every adapter's writes promise: a change commits with its owner's counter and its audit
 * event, the cap holds exactly under concurrency, and an idempotency key answers retries.
 */
export function todoWritesContract(name: string, make: () => Promise<WritesUnderTest>): void {
  describe(`TodoStore writes contract: ${name}`, () => {
    let subject: WritesUnderTest;
    let store: TodoStore;
    const events = async () =>
      (await subject.audit.list({ limit: 200 })).reverse().map(({ id: _, ...e }) => e);
    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(() => subject.cleanup());

    test('a create, update and delete each record the event changeEvent describes, and keep the count', async () => {
      const mine = todo('alice');
      assert.deepEqual(await store.create(mine, { cap: 10, author: author('alice') }), {
        kind: 'created',
        todo: mine,
      });
      assert.equal(await store.countOwned('alice'), 1);
      const updated = await store.update(
        mine.id,
        { kind: 'any' },
        { done: true, updatedAt: at(1) },
        author('ann', 1),
      );
      assert.equal(updated?.done, true);
      const missing = newTodoId();
      assert.equal(await store.delete(missing, { kind: 'any' }, author('ann', 2)), undefined);
      assert.deepEqual(
        await store.delete(mine.id, { kind: 'owner', ownerId: 'alice' }, author('alice', 3)),
        updated,
      );
      assert.equal(await store.countOwned('alice'), 0);
      assert.deepEqual(await events(), [
        changeEvent(author('alice'), 'create', mine.id, mine),
        changeEvent(author('ann', 1), 'update', mine.id, mine),
        changeEvent(author('ann', 2), 'delete', missing, undefined),
        changeEvent(author('alice', 3), 'delete', mine.id, mine),
      ]);
    });

    test('without an author nothing is recorded', async () => {
      await store.create(todo(), { cap: 10 });
      assert.deepEqual(await events(), []);
    });

    test('abuse:todo-cap 20 concurrent creates by an owner one below the cap: exactly one is stored', async () => {
      for (let i = 0; i < 4; i += 1) await store.insert(todo('bob'));
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => store.create(todo('bob'), { cap: 5, author: author('bob') })),
      );
      assert.equal(outcomes.filter((o) => o.kind === 'created').length, 1);
      assert.equal(outcomes.filter((o) => o.kind === 'over_cap').length, 19);
      assert.equal(await store.countOwned('bob'), 5);
      assert.equal((await store.list({ reach: { kind: 'any' }, limit: 100 })).length, 5);
      assert.equal((await events()).length, 1, 'refused creates record nothing');
      await store.delete((await store.list({ reach: { kind: 'any' }, limit: 1 }))[0]?.id ?? '', {
        kind: 'any',
      });
      assert.equal((await store.create(todo('bob'), { cap: 5 })).kind, 'created', 'a delete frees a place');
    });

    test('a create with a known idempotency key returns the first todo and stores nothing new', async () => {
      const options: CreateOptions = {
        cap: 10,
        author: author('carol'),
        idempotency: { key: 'k1', expiresAt: at(86_400_000) },
      };
      const first = todo('carol');
      assert.equal((await store.create(first, options)).kind, 'created');
      assert.deepEqual(await store.create(todo('carol', 5), options), { kind: 'replayed', todo: first });
      assert.equal((await store.create(todo('dave', 5), options)).kind, 'created', 'keys are per owner');
      assert.equal(await store.countOwned('carol'), 1);
      assert.equal((await events()).length, 2);
    });

    test('concurrent creates with one idempotency key store one todo and all answer with it', async () => {
      const options: CreateOptions = { cap: 10, idempotency: { key: 'same', expiresAt: at(86_400_000) } };
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () => store.create(todo('erin'), options)),
      );
      const created = outcomes.filter((o) => o.kind === 'created');
      assert.equal(created.length, 1);
      const ids = new Set(outcomes.map((o) => (o.kind === 'over_cap' ? '' : o.todo.id)));
      assert.equal(ids.size, 1, 'every caller got the one stored todo');
      assert.equal(await store.countOwned('erin'), 1);
    });

    test('an expired idempotency key is purged and may be used again', async () => {
      const key = { key: 'old', expiresAt: at(1000) };
      assert.equal((await store.create(todo('fay'), { cap: 10, idempotency: key })).kind, 'created');
      const later = todo('fay', 120_000);
      const again = await store.create(later, {
        cap: 10,
        idempotency: { key: 'old', expiresAt: at(200_000) },
      });
      assert.deepEqual(again, { kind: 'created', todo: later });
    });
  });
}
