import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { OwnerConstraint } from '../../src/todos/access-policy.js';
import type { Todo } from '../../src/todos/todo.js';
import type { ListQuery, TodoStore } from '../../src/todos/todo-store.js';

export interface StoreUnderTest {
  readonly store: TodoStore;
  /** Releases everything the store used. Must work whether or not the test already closed the store. */
  cleanup(): Promise<void>;
}

const ANY: OwnerConstraint = { kind: 'any' };
const ownerReach = (ownerId: string): OwnerConstraint => ({ kind: 'owner', ownerId });
const T0 = Date.parse('2026-05-01T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

/**
 * Ids of lowercase letters only, 22 long like real ids. Their order is the same under every
 * collation a database might apply, so ordering assertions hold for any adapter.
 */
function letterId(n: number): string {
  let id = '';
  let rest = n;
  for (let i = 0; i < 22; i++) {
    id = String.fromCharCode(97 + (rest % 26)) + id;
    rest = Math.floor(rest / 26);
  }
  return id;
}

let serial = 0;
function todo(fields: Partial<Todo> = {}): Todo {
  serial += 1;
  return {
    id: letterId(serial * 7919),
    content: `todo ${serial}`,
    ownerId: 'alice',
    createdAt: at(serial),
    updatedAt: at(serial),
    done: false,
    ...fields,
  };
}

/** Deterministic ids shaped like real ones: 16 pseudo-random bytes as base64url. */
function seededIds(seed: number): () => string {
  let state = seed >>> 0;
  return () => {
    const bytes = Buffer.alloc(16);
    for (let i = 0; i < bytes.length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      bytes[i] = state >>> 24;
    }
    return bytes.toString('base64url');
  };
}

/** The order the port promises: createdAt descending, then id descending. */
function newestFirst(todos: readonly Todo[]): Todo[] {
  return [...todos].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );
}

const ids = (todos: readonly Todo[]) => todos.map((t) => t.id);

/**
 * The behaviour every `TodoStore` adapter must show, run against a fresh store per test.
 * Registers one `describe` block; an adapter's test file calls it with a factory.
 */
export function todoStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`TodoStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: TodoStore;
    const list = (query: Partial<ListQuery> = {}) => store.list({ reach: ANY, limit: 1000, ...query });
    const insertAll = async (todos: readonly Todo[]) => {
      for (const t of todos) await store.insert(t);
    };

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    describe('insert and list', () => {
      test('an inserted todo reads back with every field unchanged', async () => {
        const open = todo({ content: 'first', done: false, createdAt: at(1), updatedAt: at(5) });
        const done = todo({
          content: 'second',
          done: true,
          ownerId: 'bob',
          createdAt: at(2),
          updatedAt: at(2),
        });
        await insertAll([open, done]);
        assert.deepEqual(await list(), [done, open]);
      });

      test('an empty store lists nothing', async () => {
        assert.deepEqual(await list(), []);
        assert.deepEqual(await list({ reach: ownerReach('alice') }), []);
      });

      test('inserting an id that exists fails and keeps the original', async () => {
        const original = todo({ content: 'original' });
        await store.insert(original);
        await assert.rejects(store.insert({ ...original, content: 'impostor', ownerId: 'mallory' }));
        assert.deepEqual(await list(), [original]);
      });

      test('unicode and awkward text round-trip exactly, through insert, list and update', async () => {
        const samples = [
          'emoji 🍎👩🏽‍💻🏳️‍🌈',
          '한국어 할 일 목록',
          '中文待办事项',
          'עברית ومرحبا',
          'e\u0301 vs é (combining and precomposed)',
          'quotes \' " ` and backslash \\ and 100% _under_',
          'line\nbreaks\r\nand\ttabs',
          '\u200b zero width and \ufeff BOM-like',
          '🍎'.repeat(10_000),
          'x'.repeat(10_000),
        ];
        const todos = samples.map((content) => todo({ content }));
        await insertAll(todos);
        const read = await list();
        assert.deepEqual(newestFirst(read), newestFirst(todos));
        for (const t of todos) {
          const reversed = [...t.content].reverse().join('');
          const updated = await store.update(t.id, ANY, { content: reversed, updatedAt: at(99_999) });
          assert.equal(updated?.content, reversed);
        }
        const reread = await list();
        for (const t of todos) {
          assert.equal(reread.find((r) => r.id === t.id)?.content, [...t.content].reverse().join(''));
        }
      });

      test('times read back as the same ISO 8601 instants with milliseconds', async () => {
        const t = todo({ createdAt: '2026-01-02T03:04:05.006Z', updatedAt: '2030-12-31T23:59:59.999Z' });
        await store.insert(t);
        const [read] = await list();
        assert.equal(read?.createdAt, '2026-01-02T03:04:05.006Z');
        assert.equal(read?.updatedAt, '2030-12-31T23:59:59.999Z');
      });
    });

    describe('reach', () => {
      test("an owner reach lists only that owner's todos; any lists all", async () => {
        const alice = [todo({ ownerId: 'alice' }), todo({ ownerId: 'alice' })];
        const bob = [todo({ ownerId: 'bob' })];
        const similar = [todo({ ownerId: 'Alice' }), todo({ ownerId: 'alice ' }), todo({ ownerId: 'alic' })];
        await insertAll([...alice, ...bob, ...similar]);
        assert.deepEqual(await list({ reach: ownerReach('alice') }), newestFirst(alice));
        assert.deepEqual(await list({ reach: ownerReach('bob') }), bob);
        assert.deepEqual(await list({ reach: ownerReach('nobody') }), []);
        assert.deepEqual(await list(), newestFirst([...alice, ...bob, ...similar]));
      });

      test('update and delete outside the reach report no todo and change nothing', async () => {
        const bobs = todo({ ownerId: 'bob', content: "bob's" });
        await store.insert(bobs);
        assert.equal(
          await store.update(bobs.id, ownerReach('alice'), { content: 'hacked', updatedAt: at(9) }),
          undefined,
        );
        assert.equal(
          await store.update(bobs.id, ownerReach('Bob'), { done: true, updatedAt: at(9) }),
          undefined,
        );
        assert.equal(await store.delete(bobs.id, ownerReach('alice')), undefined);
        assert.equal(await store.delete(bobs.id, ownerReach('bob ')), undefined);
        assert.deepEqual(await list(), [bobs]);
      });

      test('update and delete within the reach (owner or any) find the todo', async () => {
        const a = todo({ ownerId: 'bob' });
        const b = todo({ ownerId: 'bob' });
        await insertAll([a, b]);
        assert.equal(
          (await store.update(a.id, ownerReach('bob'), { done: true, updatedAt: at(9) }))?.done,
          true,
        );
        assert.equal((await store.update(b.id, ANY, { done: true, updatedAt: at(9) }))?.done, true);
        assert.equal((await store.delete(a.id, ownerReach('bob')))?.id, a.id);
        assert.equal((await store.delete(b.id, ANY))?.id, b.id);
        assert.deepEqual(await list(), []);
      });

      test('missing ids report no todo for update and delete', async () => {
        await store.insert(todo());
        const missing = letterId(1);
        assert.equal(await store.update(missing, ANY, { done: true, updatedAt: at(9) }), undefined);
        assert.equal(await store.delete(missing, ANY), undefined);
        assert.equal((await list()).length, 1);
      });
    });

    describe('ordering and keyset pages', () => {
      test('newest first, with id descending between todos of the same instant', async () => {
        const sameInstant = [0, 1, 2, 3, 4].map((n) =>
          todo({ id: letterId(1000 + n * 37), createdAt: at(500) }),
        );
        const spread = [
          todo({ createdAt: at(100) }),
          todo({ createdAt: at(900) }),
          todo({ createdAt: at(501) }),
        ];
        const all = [...sameInstant, ...spread];
        // Inserted in a scrambled order so that insertion order cannot pass for sorting.
        await insertAll([all[3], all[6], all[0], all[7], all[4], all[1], all[5], all[2]] as Todo[]);
        assert.deepEqual(ids(await list()), ids(newestFirst(all)));
      });

      test('limit caps the page and keeps the order', async () => {
        const todos = [1, 2, 3, 4, 5].map(() => todo());
        await insertAll(todos);
        assert.deepEqual(ids(await list({ limit: 2 })), ids(newestFirst(todos).slice(0, 2)));
        assert.deepEqual(ids(await list({ limit: 1 })), ids(newestFirst(todos).slice(0, 1)));
        assert.equal((await list({ limit: 50 })).length, 5);
      });

      test('after continues strictly past the given key, ties broken by id', async () => {
        const todos = [
          ...[0, 1, 2].map((n) => todo({ id: letterId(50 + n), createdAt: at(10) })),
          ...[0, 1, 2].map((n) => todo({ id: letterId(80 + n), createdAt: at(20) })),
          todo({ createdAt: at(5) }),
        ];
        await insertAll(todos);
        const ordered = newestFirst(todos);
        for (let i = 0; i < ordered.length; i++) {
          const key = ordered[i] as Todo;
          const after = { createdAt: key.createdAt, id: key.id };
          assert.deepEqual(ids(await list({ after })), ids(ordered.slice(i + 1)), `after #${i}`);
        }
      });

      test('after a key that names no stored todo continues from where it would sort', async () => {
        const todos = [todo({ createdAt: at(10) }), todo({ createdAt: at(20) }), todo({ createdAt: at(30) })];
        await insertAll(todos);
        assert.deepEqual(
          ids(await list({ after: { createdAt: at(25), id: letterId(0) } })),
          ids(newestFirst(todos).slice(1)),
        );
        assert.deepEqual(
          ids(await list({ after: { createdAt: at(99), id: letterId(0) } })),
          ids(newestFirst(todos)),
        );
        assert.deepEqual(await list({ after: { createdAt: at(1), id: letterId(0) } }), []);
      });

      test('walking pages with after visits every todo once, random-looking ids sharing instants', async () => {
        const scatteredId = seededIds(20260501);
        const todos: Todo[] = [];
        for (let i = 0; i < 60; i++) {
          const id = scatteredId();
          todos.push(todo({ id, createdAt: at(Math.floor(i / 7)), ownerId: i % 2 ? 'alice' : 'bob' }));
        }
        await insertAll(todos);
        for (const reach of [ANY, ownerReach('alice')]) {
          const everything = await list({ reach });
          const walked: Todo[] = [];
          let page = await list({ reach, limit: 7 });
          while (page.length > 0) {
            walked.push(...page);
            const last = page.at(-1) as Todo;
            page = await list({ reach, limit: 7, after: { createdAt: last.createdAt, id: last.id } });
          }
          assert.deepEqual(ids(walked), ids(everything));
          assert.equal(new Set(ids(walked)).size, reach.kind === 'any' ? 60 : 30);
        }
      });
    });

    describe('filters', () => {
      test('done selects finished or open todos', async () => {
        const open = todo({ done: false });
        const done = todo({ done: true });
        await insertAll([open, done]);
        assert.deepEqual(await list({ done: true }), [done]);
        assert.deepEqual(await list({ done: false }), [open]);
      });

      test('text matches a substring, ignoring ASCII case', async () => {
        const milk = todo({ content: 'Buy MILK and bread' });
        const dog = todo({ content: 'walk the dog' });
        await insertAll([milk, dog]);
        for (const text of ['milk', 'MILK', 'Milk And', 'buy milk and bread', 'b']) {
          assert.deepEqual(ids(await list({ text })), [milk.id], text);
        }
        assert.deepEqual(ids(await list({ text: 'o' })), [dog.id]);
        assert.deepEqual(await list({ text: 'cat' }), []);
      });

      test('text ignores case beyond ASCII too (É matches é, Ä matches ä)', async () => {
        const french = todo({ content: 'Écrire à Émile' });
        const german = todo({ content: 'ÄPFEL kaufen' });
        await insertAll([french, german]);
        assert.deepEqual(ids(await list({ text: 'émile' })), [french.id]);
        assert.deepEqual(ids(await list({ text: 'äpfel' })), [german.id]);
      });

      test('text finds non-Latin substrings', async () => {
        const korean = todo({ content: '우유 사기' });
        const emoji = todo({ content: 'pick 🍎 apples' });
        await insertAll([korean, emoji]);
        assert.deepEqual(ids(await list({ text: '우유' })), [korean.id]);
        assert.deepEqual(ids(await list({ text: '🍎' })), [emoji.id]);
      });

      test('%, _ and \\ in text are literal characters, not patterns', async () => {
        const contents = ['100% sure', '100 sure', 'a_b', 'aXb', 'C:\\dir', 'C:dir', 'x\\%y', "it's"];
        const todos = contents.map((content) => todo({ content }));
        await insertAll(todos);
        const find = async (text: string) => (await list({ text })).map((t) => t.content).sort();
        assert.deepEqual(await find('%'), ['100% sure', 'x\\%y']);
        assert.deepEqual(await find('0% '), ['100% sure']);
        assert.deepEqual(await find('_'), ['a_b']);
        assert.deepEqual(await find('a_b'), ['a_b']);
        assert.deepEqual(await find('\\'), ['C:\\dir', 'x\\%y']);
        assert.deepEqual(await find('\\%'), ['x\\%y']);
        assert.deepEqual(await find('\\d'), ['C:\\dir']);
        assert.deepEqual(await find("'"), ["it's"]);
        assert.deepEqual(await find('%_%'), []);
      });

      test('filters, reach, after and limit combine', async () => {
        const todos = [
          todo({ ownerId: 'alice', content: 'milk 1', done: false }),
          todo({ ownerId: 'alice', content: 'milk 2', done: true }),
          todo({ ownerId: 'alice', content: 'milk 3', done: false }),
          todo({ ownerId: 'alice', content: 'bread', done: false }),
          todo({ ownerId: 'bob', content: 'milk 4', done: false }),
          todo({ ownerId: 'alice', content: 'MILK 5', done: false }),
        ];
        await insertAll(todos);
        const expected = newestFirst(todos).filter(
          (t) => t.ownerId === 'alice' && !t.done && t.content.toLowerCase().includes('milk'),
        );
        const query = { reach: ownerReach('alice'), done: false, text: 'milk' } as const;
        assert.deepEqual(await list(query), expected);
        const first = await list({ ...query, limit: 1 });
        assert.deepEqual(first, expected.slice(0, 1));
        const last = first[0] as Todo;
        assert.deepEqual(
          await list({ ...query, after: { createdAt: last.createdAt, id: last.id } }),
          expected.slice(1),
        );
      });
    });

    describe('update', () => {
      test('returns the updated row and leaves the other fields as they were', async () => {
        const original = todo({ content: 'before', done: false, createdAt: at(1), updatedAt: at(1) });
        const neighbour = todo({ content: 'neighbour' });
        await insertAll([original, neighbour]);

        const contentOnly = await store.update(original.id, ANY, { content: 'after', updatedAt: at(2) });
        assert.deepEqual(contentOnly, { ...original, content: 'after', updatedAt: at(2) });

        const doneOnly = await store.update(original.id, ANY, { done: true, updatedAt: at(3) });
        assert.deepEqual(doneOnly, { ...original, content: 'after', done: true, updatedAt: at(3) });

        const both = await store.update(original.id, ANY, {
          content: 'again',
          done: false,
          updatedAt: at(4),
        });
        assert.deepEqual(both, { ...original, content: 'again', done: false, updatedAt: at(4) });

        const timeOnly = await store.update(original.id, ANY, { updatedAt: at(5) });
        assert.deepEqual(timeOnly, { ...original, content: 'again', updatedAt: at(5) });

        assert.deepEqual(newestFirst(await list()), newestFirst([timeOnly as Todo, neighbour]));
      });
    });

    describe('delete', () => {
      test('returns the deleted row, which is then gone; a second delete finds nothing', async () => {
        const doomed = todo({ done: true, content: 'doomed' });
        const kept = todo();
        await insertAll([doomed, kept]);
        assert.deepEqual(await store.delete(doomed.id, ANY), doomed);
        assert.deepEqual(await list(), [kept]);
        assert.equal(await store.delete(doomed.id, ANY), undefined);
        assert.equal(await store.update(doomed.id, ANY, { done: false, updatedAt: at(9) }), undefined);
      });
    });

    describe('health and concurrency', () => {
      test('ping resolves on a working store and rejects once it is closed', async () => {
        await store.ping();
        await store.close();
        await assert.rejects(store.ping());
      });

      test('50 concurrent inserts, then 50 concurrent updates, then 50 concurrent deletes lose nothing', async () => {
        const todos = Array.from({ length: 50 }, (_, i) =>
          todo({ createdAt: at(i % 3), ownerId: i % 2 ? 'alice' : 'bob' }),
        );
        await Promise.all(todos.map((t) => store.insert(t)));
        assert.deepEqual(ids(await list()), ids(newestFirst(todos)));

        const updated = await Promise.all(
          todos.map((t, i) =>
            store.update(t.id, ownerReach(t.ownerId), { content: `v${i}`, done: true, updatedAt: at(7) }),
          ),
        );
        assert.deepEqual(
          updated.map((u) => u?.content),
          todos.map((_, i) => `v${i}`),
        );
        assert.equal((await list({ done: true })).length, 50);

        const deleted = await Promise.all(todos.map((t) => store.delete(t.id, ANY)));
        assert.deepEqual(
          deleted.map((d) => d?.id),
          ids(todos),
        );
        assert.deepEqual(await list(), []);
      });

      test('countOwned counts one owner’s todos only', async () => {
        await insertAll([todo({ ownerId: 'alice' }), todo({ ownerId: 'alice' }), todo({ ownerId: 'bob' })]);
        assert.equal(await store.countOwned('alice'), 2);
        assert.equal(await store.countOwned('bob'), 1);
        assert.equal(await store.countOwned('carol'), 0);
      });

      test('concurrent updates of one todo: each is atomic and the last write wins whole', async () => {
        const target = todo({ ownerId: 'alice' });
        await store.insert(target);
        const writes = Array.from({ length: 30 }, (_, i) => ({
          content: `write ${i}`,
          done: i % 2 === 0,
          updatedAt: at(10 + i),
        }));
        const answers = await Promise.all(writes.map((w) => store.update(target.id, ownerReach('alice'), w)));
        for (const [i, answer] of answers.entries()) {
          assert.equal(
            answer?.content,
            writes[i]?.content,
            'each caller sees the row its own write produced',
          );
          assert.equal(answer?.done, writes[i]?.done);
        }
        const [final] = await list();
        const winner = writes.find((w) => w.content === final?.content);
        assert.ok(winner, 'the stored row is one of the writes');
        assert.equal(final?.done, winner.done, 'content and done come from the same write, never mixed');
        assert.equal(final?.updatedAt, winner.updatedAt);
      });

      test('concurrent inserts mixed with reads and deletes keep every surviving row', async () => {
        const keep = Array.from({ length: 50 }, () => todo());
        const drop = Array.from({ length: 10 }, () => todo());
        await insertAll(drop);
        await Promise.all([
          ...keep.map((t) => store.insert(t)),
          ...drop.map((t) => store.delete(t.id, ANY)),
          ...keep.slice(0, 10).map(() => list({ limit: 5 })),
        ]);
        assert.deepEqual(ids(await list()), ids(newestFirst(keep)));
      });
    });
  });
}
