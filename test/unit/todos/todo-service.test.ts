import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError, type ErrorCode } from '../../../src/errors.js';
import { migrate } from '../../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../../src/storage/sqlite/open-database.js';
import { createSqliteTodoStore } from '../../../src/storage/sqlite/sqlite-todo-store.js';
import { filterTag } from '../../../src/todos/cursor.js';
import type { Actor } from '../../../src/todos/scopes.js';
import { newTodoId, type Todo } from '../../../src/todos/todo.js';
import { createTodoService, type ListOptions, type TodoService } from '../../../src/todos/todo-service.js';
import type { TodoStore } from '../../../src/todos/todo-store.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

interface Harness {
  readonly service: TodoService;
  readonly store: TodoStore;
  /** Moves the fake clock forward. */
  tick(ms?: number): void;
  /** Every stored todo, read straight from the store, newest first. */
  stored(): Promise<Todo[]>;
}

/**
 * The real service over a real in-memory SQLite store. The clock stands still unless a test
 * ticks it, so todos share a millisecond; ids count up (22 characters, like real ids) unless a
 * test asks for random ones.
 */
function harness(options: { randomIds?: boolean } = {}): Harness {
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createSqliteTodoStore(db);
  let now = T0;
  let counter = 0;
  const newId = options.randomIds
    ? newTodoId
    : () => {
        counter += 1;
        return `t${String(counter).padStart(21, '0')}`;
      };
  const service = createTodoService({ store, clock: () => new Date(now), newId });
  return {
    service,
    store,
    tick(ms = 1) {
      now += ms;
    },
    stored: () => store.list({ reach: { kind: 'any' }, limit: 10_000 }),
  };
}

const scoped = (subject: string, ...scopes: string[]): Actor => ({ subject, scopes: new Set(scopes) });

const ROLES = {
  admin: scoped('ann', 'create:todos', 'read:todos', 'delete:todos'),
  user: scoped('bob', 'create:todos'),
  'no-scope': scoped('cat'),
  'read-only': scoped('dan', 'read:todos'),
  'delete-only': scoped('eve', 'delete:todos'),
} as const;
type Role = keyof typeof ROLES;
const STRANGER = scoped('zed', 'create:todos');
/** A well-formed id that no todo has. */
const MISSING_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const MALFORMED_IDS = [
  '',
  'x',
  'not a todo id at all!!',
  'A'.repeat(21),
  'A'.repeat(23),
  `${'A'.repeat(21)}=`,
];

/** Creates a todo for any subject, scopes or not, as a token of the same subject with create:todos would. */
async function createAs(h: Harness, subject: string, content: string): Promise<Todo> {
  return h.service.create(scoped(subject, 'create:todos'), content);
}

/** Runs an operation that must fail and returns its AppError after checking the code. */
async function failure(operation: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  try {
    await operation;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail(`expected ${code}, but the operation succeeded`);
}

/** Every observable property of an error, so that two can be compared for indistinguishability. */
function errorShape(error: AppError): Record<string, unknown> {
  return {
    name: error.name,
    code: error.code,
    status: error.status,
    message: error.message,
    isSafe: error.isSafe,
    cause: error.cause,
    keys: Object.keys(error).sort(),
  };
}

async function listAll(service: TodoService, actor: Actor, options: ListOptions = {}): Promise<Todo[]> {
  const todos: Todo[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.list(actor, { ...options, ...(cursor !== undefined && { cursor }) });
    todos.push(...page.todos);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return todos;
}

const ids = (todos: readonly Todo[]) => todos.map((t) => t.id);

describe('TodoService: role × tool × owned / not-owned / missing', () => {
  type Target = 'owned' | 'not-owned' | 'missing';
  type Outcome = 'ok' | 'not_found';
  const TARGETS: readonly Target[] = ['owned', 'not-owned', 'missing'];

  const CREATE: Record<Role, 'ok' | 'insufficient_scope'> = {
    admin: 'ok',
    user: 'ok',
    'no-scope': 'insufficient_scope',
    'read-only': 'insufficient_scope',
    'delete-only': 'insufficient_scope',
  };
  // get-todos: whether the target shows in the caller's unfiltered listing.
  const LISTED: Record<Role, Record<'owned' | 'not-owned', boolean>> = {
    admin: { owned: true, 'not-owned': true },
    user: { owned: true, 'not-owned': false },
    'no-scope': { owned: true, 'not-owned': false },
    'read-only': { owned: true, 'not-owned': true },
    'delete-only': { owned: true, 'not-owned': false },
  };
  const UPDATE: Record<Role, Record<Target, Outcome>> = {
    admin: { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
    user: { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
    'no-scope': { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
    'read-only': { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
    'delete-only': { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
  };
  const DELETE: Record<Role, Record<Target, Outcome>> = {
    admin: { owned: 'ok', 'not-owned': 'ok', missing: 'not_found' },
    user: { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
    'no-scope': { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
    'read-only': { owned: 'ok', 'not-owned': 'not_found', missing: 'not_found' },
    'delete-only': { owned: 'ok', 'not-owned': 'ok', missing: 'not_found' },
  };

  async function seed(role: Role) {
    const h = harness();
    const owned = await createAs(h, ROLES[role].subject, 'mine');
    const notOwned = await createAs(h, STRANGER.subject, 'theirs');
    h.tick();
    const idOf = (target: Target) =>
      target === 'owned' ? owned.id : target === 'not-owned' ? notOwned.id : MISSING_ID;
    return { h, owned, notOwned, idOf };
  }

  for (const role of Object.keys(ROLES) as Role[]) {
    const actor = ROLES[role];

    const createId = CREATE[role] === 'ok' ? 'rbac:create-owned-by-caller' : 'rbac:create-needs-scope';
    test(`${role} × create-todo → ${CREATE[role]} [${createId}]`, async () => {
      const h = harness();
      if (CREATE[role] === 'ok') {
        const todo = await h.service.create(actor, 'write tests');
        assert.equal(todo.ownerId, actor.subject);
        assert.deepEqual(await h.stored(), [todo]);
      } else {
        await failure(h.service.create(actor, 'write tests'), 'insufficient_scope');
        assert.deepEqual(await h.stored(), []);
      }
    });

    for (const target of ['owned', 'not-owned'] as const) {
      const isListed = LISTED[role][target];
      const id = target === 'owned' || !isListed ? 'rbac:list-own-only' : 'rbac:list-all-with-read';
      test(`${role} × get-todos × ${target} → ${isListed ? 'listed' : 'hidden'} [${id}]`, async () => {
        const { h, owned, notOwned } = await seed(role);
        const page = await h.service.list(actor);
        const todo = target === 'owned' ? owned : notOwned;
        assert.equal(
          page.todos.some((t) => t.id === todo.id),
          isListed,
        );
        const expected = [owned, notOwned].filter((t) => LISTED[role][t === owned ? 'owned' : 'not-owned']);
        assert.deepEqual(ids(page.todos).sort(), ids(expected).sort());
      });
    }

    for (const target of TARGETS) {
      const expected = UPDATE[role][target];
      const id = target === 'missing' ? 'rbac:not-found-indistinguishable' : 'rbac:update-owner-only';
      test(`${role} × update-todo × ${target} → ${expected} [${id}]`, async () => {
        const { h, idOf } = await seed(role);
        const before = await h.stored();
        const operation = h.service.update(actor, idOf(target), { content: '  changed  ', done: true });
        if (expected === 'ok') {
          const updated = await operation;
          assert.equal(updated.content, 'changed');
          assert.equal(updated.done, true);
          assert.equal(updated.ownerId, actor.subject);
          const stored = (await h.stored()).find((t) => t.id === updated.id);
          assert.deepEqual(stored, updated);
        } else {
          await failure(operation, 'not_found');
          assert.deepEqual(await h.stored(), before, 'nothing changed');
        }
      });
    }

    for (const target of TARGETS) {
      const expected = DELETE[role][target];
      const id =
        target === 'owned'
          ? 'rbac:delete-own'
          : target === 'missing'
            ? 'rbac:not-found-indistinguishable'
            : expected === 'ok'
              ? 'rbac:delete-others-with-scope'
              : 'rbac:delete-others-denied';
      test(`${role} × delete-todo × ${target} → ${expected} [${id}]`, async () => {
        const { h, idOf } = await seed(role);
        const before = await h.stored();
        const operation = h.service.delete(actor, idOf(target));
        if (expected === 'ok') {
          const deleted = await operation;
          assert.deepEqual(
            deleted,
            before.find((t) => t.id === idOf(target)),
          );
          assert.deepEqual(
            await h.stored(),
            before.filter((t) => t.id !== deleted.id),
          );
        } else {
          await failure(operation, 'not_found');
          assert.deepEqual(await h.stored(), before, 'nothing deleted');
        }
      });
    }

    test(`${role}: not-owned, missing and malformed ids give the same error [rbac:not-found-indistinguishable]`, async () => {
      const { h, idOf } = await seed(role);
      const updates = [idOf('not-owned'), idOf('missing'), ...MALFORMED_IDS].map((id) =>
        h.service.update(actor, id, { done: true }),
      );
      const shapes = await Promise.all(updates.map(async (u) => errorShape(await failure(u, 'not_found'))));
      for (const shape of shapes) assert.deepEqual(shape, shapes[0]);

      const deleteIds = [...(DELETE[role]['not-owned'] === 'ok' ? [] : [idOf('not-owned')]), MISSING_ID];
      const deletes = [...deleteIds, ...MALFORMED_IDS].map((id) => h.service.delete(actor, id));
      const deleteShapes = await Promise.all(
        deletes.map(async (d) => errorShape(await failure(d, 'not_found'))),
      );
      for (const shape of deleteShapes) assert.deepEqual(shape, shapes[0]);
    });
  }
});

describe('TodoService: create', () => {
  test("a new todo has a fresh id, the caller as owner, the clock's time and done=false [rbac:create-owned-by-caller]", async () => {
    const h = harness();
    const todo = await h.service.create(ROLES.user, 'buy milk');
    assert.deepEqual(todo, {
      id: 't000000000000000000001',
      content: 'buy milk',
      ownerId: 'bob',
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
      done: false,
    });
  });

  test('real ids are 22 base64url characters and differ between todos', async () => {
    const h = harness({ randomIds: true });
    const a = await h.service.create(ROLES.user, 'a');
    const b = await h.service.create(ROLES.user, 'b');
    assert.match(a.id, /^[A-Za-z0-9_-]{22}$/);
    assert.match(b.id, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(a.id, b.id);
  });
});

describe('TodoService: content rules', () => {
  test('content is trimmed of surrounding whitespace, inner whitespace kept', async () => {
    const h = harness();
    const todo = await h.service.create(ROLES.user, ' \t\n buy  milk\nand eggs \r\n ');
    assert.equal(todo.content, 'buy  milk\nand eggs');
    assert.equal((await h.stored())[0]?.content, 'buy  milk\nand eggs');
  });

  for (const blank of ['', ' ', '\t\n\r ', '\u00a0\u2003\u3000']) {
    test(`empty or whitespace-only content ${JSON.stringify(blank)} is invalid_params and stores nothing`, async () => {
      const h = harness();
      await failure(h.service.create(ROLES.user, blank), 'invalid_params');
      assert.deepEqual(await h.stored(), []);
    });
  }

  test('exactly 10,000 characters are accepted, also with surrounding whitespace', async () => {
    const h = harness();
    const max = 'x'.repeat(10_000);
    assert.equal((await h.service.create(ROLES.user, max)).content, max);
    assert.equal((await h.service.create(ROLES.user, `  ${max}\n`)).content, max);
    assert.equal((await h.stored()).length, 2);
  });

  test('10,001 characters are invalid_params and store nothing', async () => {
    const h = harness();
    await failure(h.service.create(ROLES.user, 'x'.repeat(10_001)), 'invalid_params');
    assert.deepEqual(await h.stored(), []);
  });

  test('the limit counts characters (code points), not UTF-16 units', async () => {
    const h = harness();
    const emoji = '🍎'.repeat(10_000);
    assert.equal((await h.service.create(ROLES.user, emoji)).content, emoji);
    await failure(h.service.create(ROLES.user, '🍎'.repeat(10_001)), 'invalid_params');
    assert.equal((await h.stored()).length, 1);
  });

  test('update applies the same rules and changes nothing on rejection', async () => {
    const h = harness();
    const todo = await h.service.create(ROLES.user, 'original');
    h.tick(1000);
    for (const bad of ['', '   ', 'y'.repeat(10_001)]) {
      await failure(h.service.update(ROLES.user, todo.id, { content: bad, done: true }), 'invalid_params');
    }
    assert.deepEqual(await h.stored(), [todo]);
    const updated = await h.service.update(ROLES.user, todo.id, { content: `  ${'y'.repeat(10_000)}  ` });
    assert.equal(updated.content, 'y'.repeat(10_000));
  });
});

describe('TodoService: update and delete', () => {
  test('update with no fields is invalid_params', async () => {
    const h = harness();
    const todo = await h.service.create(ROLES.user, 'a');
    await failure(h.service.update(ROLES.user, todo.id, {}), 'invalid_params');
    assert.deepEqual(await h.stored(), [todo]);
  });

  test('update of content keeps done; update of done keeps content; times and owner follow the rules [rbac:update-owner-only]', async () => {
    const h = harness();
    const todo = await h.service.create(ROLES.user, 'a');
    h.tick(60_000);
    const done = await h.service.update(ROLES.user, todo.id, { done: true });
    assert.deepEqual(done, { ...todo, done: true, updatedAt: '2026-03-01T12:01:00.000Z' });
    h.tick(60_000);
    const edited = await h.service.update(ROLES.user, todo.id, { content: 'b' });
    assert.deepEqual(edited, { ...todo, content: 'b', done: true, updatedAt: '2026-03-01T12:02:00.000Z' });
    const reopened = await h.service.update(ROLES.user, todo.id, { done: false });
    assert.equal(reopened.done, false);
    assert.equal(reopened.content, 'b');
    assert.deepEqual(await h.stored(), [reopened]);
  });

  test('malformed ids are not_found for update and delete, for every role [rbac:not-found-indistinguishable]', async () => {
    const h = harness();
    for (const actor of Object.values(ROLES)) {
      for (const id of MALFORMED_IDS) {
        await failure(h.service.update(actor, id, { done: true }), 'not_found');
        await failure(h.service.delete(actor, id), 'not_found');
      }
    }
  });

  test('a deleted todo is gone: a second delete and an update are not_found [rbac:delete-own]', async () => {
    const h = harness();
    const todo = await h.service.create(ROLES.user, 'a');
    assert.deepEqual(await h.service.delete(ROLES.user, todo.id), todo);
    await failure(h.service.delete(ROLES.user, todo.id), 'not_found');
    await failure(h.service.update(ROLES.user, todo.id, { done: true }), 'not_found');
    assert.deepEqual(await h.stored(), []);
  });
});

describe('TodoService: pagination', () => {
  test('limit defaults to 50; a full last page has no nextCursor', async () => {
    const h = harness();
    for (let i = 0; i < 50; i++) await h.service.create(ROLES.user, `todo ${i}`);
    const exact = await h.service.list(ROLES.user);
    assert.equal(exact.todos.length, 50);
    assert.equal(exact.nextCursor, undefined);

    await h.service.create(ROLES.user, 'one more');
    const first = await h.service.list(ROLES.user);
    assert.equal(first.todos.length, 50);
    assert.equal(typeof first.nextCursor, 'string');
    const second = await h.service.list(ROLES.user, { cursor: first.nextCursor as string });
    assert.equal(second.todos.length, 1);
    assert.equal(second.nextCursor, undefined);
  });

  test('limit 200 is the maximum and is honoured', async () => {
    const h = harness();
    for (let i = 0; i < 201; i++) await h.service.create(ROLES.user, `todo ${i}`);
    const page = await h.service.list(ROLES.user, { limit: 200 });
    assert.equal(page.todos.length, 200);
    assert.equal(typeof page.nextCursor, 'string');
    assert.equal((await h.service.list(ROLES.user, { limit: 1 })).todos.length, 1);
  });

  for (const limit of [0, 201, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    test(`limit ${limit} is invalid_params`, async () => {
      const h = harness();
      await failure(h.service.list(ROLES.user, { limit }), 'invalid_params');
    });
  }

  test('pages of todos created in the same millisecond walk everything once, newest first', async () => {
    const h = harness();
    for (let i = 0; i < 23; i++) await createAs(h, i % 3 === 0 ? 'bob' : 'zed', `todo ${i}`);
    const everything = await h.stored();
    assert.equal(everything.length, 23);
    for (const limit of [1, 2, 5, 22, 23, 24]) {
      const walked = await listAll(h.service, ROLES.admin, { limit });
      assert.deepEqual(ids(walked), ids(everything), `limit ${limit}`);
    }
    // Ties on createdAt are broken by id, descending.
    assert.deepEqual(ids(everything), ids(everything).slice().sort().reverse());
    const own = await listAll(h.service, ROLES.user, { limit: 3 });
    assert.deepEqual(ids(own), ids(everything.filter((t) => t.ownerId === 'bob')));
  });

  test('random ids in one millisecond and mixed timestamps still page without duplicates or gaps', async () => {
    const h = harness({ randomIds: true });
    for (let i = 0; i < 40; i++) {
      await h.service.create(ROLES.user, `todo ${i}`);
      if (i % 7 === 0) h.tick(i % 2 === 0 ? 1 : 1000);
    }
    const walked = await listAll(h.service, ROLES.user, { limit: 6 });
    assert.equal(new Set(ids(walked)).size, 40);
    assert.deepEqual(ids(walked), ids(await h.stored()));
    const keys = walked.map((t) => `${t.createdAt}|${t.id}`);
    assert.deepEqual(keys, keys.slice().sort().reverse(), 'newest first, id descending on ties');
  });

  test('the page size may change between pages; a cursor only fixes the position', async () => {
    const h = harness();
    for (let i = 0; i < 10; i++) await h.service.create(ROLES.user, `todo ${i}`);
    const first = await h.service.list(ROLES.user, { limit: 2 });
    const rest = await h.service.list(ROLES.user, { limit: 200, cursor: first.nextCursor as string });
    assert.deepEqual([...ids(first.todos), ...ids(rest.todos)], ids(await h.stored()));
  });

  test('deleting the last todo of a page and creating newer ones does not disturb the walk', async () => {
    const h = harness();
    for (let i = 0; i < 9; i++) await h.service.create(ROLES.user, `todo ${i}`);
    const before = await h.stored();
    const first = await h.service.list(ROLES.user, { limit: 3 });
    const last = first.todos.at(-1) as Todo;
    await h.service.delete(ROLES.user, last.id);
    h.tick(1000);
    await h.service.create(ROLES.user, 'newer than the cursor');
    const rest = await listAll(h.service, ROLES.user, { limit: 3, cursor: first.nextCursor as string });
    assert.deepEqual(ids(rest), ids(before.slice(3)));
  });

  test('a cursor used with other filters is invalid_params [rbac:cursor-bound-to-query]', async () => {
    const h = harness();
    for (let i = 0; i < 6; i++) await createAs(h, 'bob', `milk ${i}`);
    const plain = await h.service.list(ROLES.admin, { limit: 2 });
    const cursor = plain.nextCursor as string;
    assert.equal((await h.service.list(ROLES.admin, { limit: 2, cursor })).todos.length, 2);
    const others: ListOptions[] = [{ done: false }, { done: true }, { query: 'milk' }, { ownerId: 'bob' }];
    for (const filters of others) {
      await failure(h.service.list(ROLES.admin, { ...filters, limit: 2, cursor }), 'invalid_params');
    }
    const filtered = await h.service.list(ROLES.admin, { done: false, query: 'MILK', limit: 2 });
    const filteredCursor = filtered.nextCursor as string;
    assert.equal(
      (await h.service.list(ROLES.admin, { done: false, query: 'MILK', limit: 2, cursor: filteredCursor }))
        .todos.length,
      2,
    );
    for (const filters of [
      {},
      { done: false },
      { done: true, query: 'MILK' },
      { done: false, query: 'milk 1' },
    ]) {
      await failure(h.service.list(ROLES.admin, { ...filters, cursor: filteredCursor }), 'invalid_params');
    }
  });

  test('garbage, truncated and altered cursors are invalid_params [rbac:cursor-bound-to-query]', async () => {
    const h = harness();
    for (let i = 0; i < 4; i++) await h.service.create(ROLES.user, `todo ${i}`);
    const cursor = (await h.service.list(ROLES.user, { limit: 1 })).nextCursor as string;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const [createdAt, id, tag] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];
    const bad = [
      '',
      'garbage',
      '!!!!',
      'a b',
      `${cursor}=`,
      cursor.slice(0, -3),
      cursor.slice(3),
      `${cursor}${cursor}`,
      'A'.repeat(600),
      Buffer.from('not json').toString('base64url'),
      encode({ createdAt, id, tag }),
      encode([createdAt, id]),
      encode([createdAt, id, tag, 'extra']),
      encode([createdAt, id, 'another-tag']),
      encode([createdAt, 'short', tag]),
      encode([createdAt, 42, tag]),
      encode(['yesterday', id, tag]),
      encode(['2026-13-45T99:99:99.999Z', id, tag]),
      encode([Date.parse(createdAt as string), id, tag]),
      encode(null),
    ];
    for (const garbled of bad) {
      await failure(h.service.list(ROLES.user, { limit: 1, cursor: garbled }), 'invalid_params');
    }
  });

  test("a user replaying an admin's cursor never sees others' todos [rbac:cursor-no-widening]", async () => {
    const h = harness();
    for (let i = 0; i < 6; i++) {
      await createAs(h, 'bob', `bob ${i}`);
      await createAs(h, 'zed', `zed ${i}`);
    }
    const adminPage = await h.service.list(ROLES.admin, { limit: 3 });
    const cursor = adminPage.nextCursor as string;
    try {
      const replayed = await listAll(h.service, ROLES.user, { limit: 3, cursor });
      assert.ok(
        replayed.every((t) => t.ownerId === 'bob'),
        "the replayed cursor reached someone else's todos",
      );
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === 'invalid_params', String(error));
    }
  });

  test("a cursor forged for the caller's own listing still reaches only own todos [rbac:cursor-no-widening]", async () => {
    const h = harness();
    for (let i = 0; i < 5; i++) {
      await createAs(h, 'bob', `bob ${i}`);
      await createAs(h, 'zed', `zed ${i}`);
    }
    // The filter tag is not secret: anyone can build a well-formed cursor for their own listing.
    const tag = filterTag([{ kind: 'owner', ownerId: 'bob' }, null, null]);
    const forged = Buffer.from(JSON.stringify(['2999-01-01T00:00:00.000Z', 'z'.repeat(22), tag])).toString(
      'base64url',
    );
    const page = await h.service.list(ROLES.user, { cursor: forged });
    assert.deepEqual(
      ids(page.todos).sort(),
      ids((await h.stored()).filter((t) => t.ownerId === 'bob')).sort(),
    );
  });

  test("an admin's cursor for ownerId=bob is bob's own listing; it shows bob nothing more [rbac:cursor-no-widening]", async () => {
    const h = harness();
    for (let i = 0; i < 4; i++) {
      await createAs(h, 'bob', `bob ${i}`);
      await createAs(h, 'zed', `zed ${i}`);
    }
    const adminPage = await h.service.list(ROLES.admin, { ownerId: 'bob', limit: 1 });
    const rest = await listAll(h.service, ROLES.user, { limit: 1, cursor: adminPage.nextCursor as string });
    assert.equal(rest.length, 3);
    assert.ok(rest.every((t) => t.ownerId === 'bob'));
  });
});

describe('TodoService: filters', () => {
  test('done filters open and finished todos', async () => {
    const h = harness();
    const a = await h.service.create(ROLES.user, 'a');
    const b = await h.service.create(ROLES.user, 'b');
    await h.service.update(ROLES.user, a.id, { done: true });
    assert.deepEqual(ids((await h.service.list(ROLES.user, { done: true })).todos), [a.id]);
    assert.deepEqual(ids((await h.service.list(ROLES.user, { done: false })).todos), [b.id]);
    assert.equal((await h.service.list(ROLES.user)).todos.length, 2);
  });

  test('query matches a substring case-insensitively, after trimming', async () => {
    const h = harness();
    const milk = await h.service.create(ROLES.user, 'Buy MILK today');
    await h.service.create(ROLES.user, 'walk the dog');
    for (const query of ['milk', 'MILK', 'mIlK', '  milk ', 'buy milk t']) {
      assert.deepEqual(ids((await h.service.list(ROLES.user, { query })).todos), [milk.id], query);
    }
    assert.deepEqual((await h.service.list(ROLES.user, { query: 'cat' })).todos, []);
  });

  test('query treats %, _ and \\ literally', async () => {
    const h = harness();
    const percent = await h.service.create(ROLES.user, '100% done');
    await h.service.create(ROLES.user, '100 done');
    const underscore = await h.service.create(ROLES.user, 'snake_case');
    await h.service.create(ROLES.user, 'snakeXcase');
    const backslash = await h.service.create(ROLES.user, 'C:\\temp');
    await h.service.create(ROLES.user, 'C:temp');
    const escapedPercent = await h.service.create(ROLES.user, 'odd \\% mix');
    const cases: [string, Todo[]][] = [
      ['%', [escapedPercent, percent]],
      ['0%', [percent]],
      ['_', [underscore]],
      ['e_c', [underscore]],
      ['\\', [escapedPercent, backslash]],
      [':\\t', [backslash]],
      ['\\%', [escapedPercent]],
      ['%%', []],
      ['__', []],
    ];
    for (const [query, expected] of cases) {
      assert.deepEqual(
        ids((await h.service.list(ROLES.user, { query })).todos).sort(),
        ids(expected).sort(),
        JSON.stringify(query),
      );
    }
  });

  test('a query longer than 200 characters is invalid_params', async () => {
    const h = harness();
    await failure(h.service.list(ROLES.user, { query: 'q'.repeat(201) }), 'invalid_params');
    assert.deepEqual((await h.service.list(ROLES.user, { query: 'q'.repeat(200) })).todos, []);
  });

  test('ownerId narrows a read:todos listing to that owner [rbac:owner-filter-with-read]', async () => {
    const h = harness();
    const bob = await createAs(h, 'bob', 'b');
    const zed = await createAs(h, 'zed', 'z');
    const ann = await createAs(h, 'ann', 'a');
    assert.deepEqual(ids((await h.service.list(ROLES.admin, { ownerId: 'bob' })).todos), [bob.id]);
    assert.deepEqual(ids((await h.service.list(ROLES['read-only'], { ownerId: 'zed' })).todos), [zed.id]);
    assert.deepEqual(ids((await h.service.list(ROLES.admin, { ownerId: 'ann' })).todos), [ann.id]);
    assert.deepEqual((await h.service.list(ROLES.admin, { ownerId: 'nobody' })).todos, []);
  });

  test('ownerId naming someone else needs read:todos; naming oneself does not [rbac:owner-filter-needs-read]', async () => {
    const h = harness();
    const bob = await createAs(h, 'bob', 'b');
    await createAs(h, 'zed', 'z');
    for (const role of ['user', 'no-scope', 'delete-only'] as const) {
      await failure(h.service.list(ROLES[role], { ownerId: 'zed' }), 'insufficient_scope');
      await failure(h.service.list(ROLES[role], { ownerId: 'nobody' }), 'insufficient_scope');
    }
    assert.deepEqual(ids((await h.service.list(ROLES.user, { ownerId: 'bob' })).todos), [bob.id]);
  });

  test('filters combine with each other and with the reach [rbac:list-own-only]', async () => {
    const h = harness();
    const hit = await createAs(h, 'bob', 'Milk and bread');
    const doneHit = await createAs(h, 'bob', 'more milk');
    await h.service.update(ROLES.user, doneHit.id, { done: true });
    await createAs(h, 'bob', 'bread only');
    const theirs = await createAs(h, 'zed', 'milk for zed');
    assert.deepEqual(ids((await h.service.list(ROLES.user, { query: 'milk', done: false })).todos), [hit.id]);
    assert.deepEqual(ids((await h.service.list(ROLES.user, { query: 'milk', done: true })).todos), [
      doneHit.id,
    ]);
    assert.deepEqual(
      ids((await h.service.list(ROLES.admin, { query: 'milk', done: false })).todos).sort(),
      [hit.id, theirs.id].sort(),
    );
    assert.deepEqual(
      ids((await h.service.list(ROLES.admin, { query: 'milk', done: false, ownerId: 'zed' })).todos),
      [theirs.id],
    );
  });
});
