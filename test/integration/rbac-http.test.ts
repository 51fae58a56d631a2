import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import type { Todo } from '../../src/todos/todo.js';
import { connectClient, type Era } from '../support/mcp-client.js';
import {
  callRaw,
  expectStepUp,
  expectSuccess,
  expectToolError,
  type RawToolResult,
} from '../support/tool-result.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer();

const SCOPES = {
  admin: 'create:todos read:todos delete:todos',
  user: 'create:todos',
  none: undefined,
} as const;

/** The wire result minus the SDK's per-response `_meta`, for comparing two errors as a caller sees them. */
function visible(result: RawToolResult) {
  return { isError: result.isError, structured: result.structured, texts: result.texts };
}

for (const era of ['legacy', 'modern'] as const satisfies readonly Era[]) {
  describe(`RBAC over HTTP (${era})`, () => {
    // Subjects are per era so that the two runs share a server without seeing each other's todos.
    const subjects = { admin: `ann-${era}`, user: `bob-${era}`, other: `cy-${era}`, none: `dee-${era}` };
    const clients: Client[] = [];
    let admin: Client;
    let user: Client;
    let other: Client;
    let none: Client;
    /** A client for the no-scope subject that holds create:todos, to give it todos of its own. */
    let noneCreator: Client;

    async function connect(sub: string, scope: string | undefined): Promise<Client> {
      const client = await connectClient(
        ctx.server.mcpUrl,
        await ctx.issuer.sign({ claims: { sub, scope } }),
        era,
      );
      clients.push(client);
      return client;
    }
    const create = async (client: Client, content: string): Promise<Todo> =>
      expectSuccess(await callRaw(client, 'create-todo', { content })) as unknown as Todo;
    const list = async (client: Client, args: Record<string, unknown> = {}): Promise<Todo[]> =>
      expectSuccess(await callRaw(client, 'get-todos', { limit: 200, ...args })).todos as Todo[];
    const listIds = async (client: Client, args: Record<string, unknown> = {}) =>
      (await list(client, args)).map((t) => t.id);

    before(async () => {
      admin = await connect(subjects.admin, SCOPES.admin);
      user = await connect(subjects.user, SCOPES.user);
      other = await connect(subjects.other, SCOPES.user);
      none = await connect(subjects.none, SCOPES.none);
      noneCreator = await connect(subjects.none, 'create:todos');
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
    });

    test("a created todo belongs to the token's subject [rbac:create-owned-by-caller]", async () => {
      const todo = await create(user, 'mine');
      assert.equal(todo.ownerId, subjects.user);
      const byAdmin = await create(admin, 'admin mine');
      assert.equal(byAdmin.ownerId, subjects.admin);
    });

    test("a user sees only their own todos, never the admin's [rbac:list-own-only]", async () => {
      const mine = await create(user, 'bob list');
      const admins = await create(admin, 'ann list');
      const seen = await list(user);
      assert.ok(seen.some((t) => t.id === mine.id));
      assert.ok(!seen.some((t) => t.id === admins.id));
      assert.ok(seen.every((t) => t.ownerId === subjects.user));
    });

    test("the admin lists everyone's todos [rbac:list-all-with-read]", async () => {
      const bobs = await create(user, 'bob for admin');
      const cys = await create(other, 'cy for admin');
      const anns = await create(admin, 'ann for admin');
      const seen = await listIds(admin);
      for (const todo of [bobs, cys, anns]) assert.ok(seen.includes(todo.id), todo.content);
    });

    test('the admin filters by ownerId [rbac:owner-filter-with-read]', async () => {
      const bobs = await create(user, 'bob filtered');
      await create(other, 'cy filtered');
      const filtered = await list(admin, { ownerId: subjects.user });
      assert.ok(filtered.length > 0);
      assert.ok(filtered.every((t) => t.ownerId === subjects.user));
      assert.ok(filtered.some((t) => t.id === bobs.id));
      assert.deepEqual(await list(admin, { ownerId: `nobody-${era}` }), []);
    });

    test("a user's ownerId filter naming someone else is HTTP 403 read:todos; naming oneself is fine [rbac:owner-filter-needs-read]", async () => {
      const mine = await create(user, 'bob self filter');
      const selfFiltered = await list(user, { ownerId: subjects.user });
      assert.ok(selfFiltered.some((t) => t.id === mine.id));
      const fresh = await connect(subjects.user, SCOPES.user);
      await expectStepUp(
        fresh.callTool({ name: 'get-todos', arguments: { ownerId: subjects.admin } }),
        'read:todos',
      );
    });

    test("a user cannot update the admin's todo: not_found, unchanged [rbac:update-owner-only]", async () => {
      const admins = await create(admin, 'ann untouchable');
      expectToolError(
        await callRaw(user, 'update-todo', { id: admins.id, content: 'hijacked', done: true }),
        'not_found',
      );
      const after = (await list(admin, { ownerId: subjects.admin })).find((t) => t.id === admins.id);
      assert.deepEqual(after, admins);
    });

    test("a user cannot delete the admin's todo: not_found, still there [rbac:delete-others-denied]", async () => {
      const admins = await create(admin, 'ann undeletable');
      expectToolError(await callRaw(user, 'delete-todo', { id: admins.id }), 'not_found');
      assert.ok((await listIds(admin, { ownerId: subjects.admin })).includes(admins.id));
    });

    test("another user's todo and a missing one look exactly the same [rbac:not-found-indistinguishable]", async () => {
      const cys = await create(other, 'cy hidden');
      const missing = 'A'.repeat(22);
      const updateOthers = visible(await callRaw(user, 'update-todo', { id: cys.id, done: true }));
      const updateMissing = visible(await callRaw(user, 'update-todo', { id: missing, done: true }));
      const updateMalformed = visible(await callRaw(user, 'update-todo', { id: 'no-such-id', done: true }));
      expectToolError(updateOthers, 'not_found');
      assert.deepEqual(updateOthers, updateMissing);
      assert.deepEqual(updateOthers, updateMalformed);
      const deleteOthers = visible(await callRaw(user, 'delete-todo', { id: cys.id }));
      const deleteMissing = visible(await callRaw(user, 'delete-todo', { id: missing }));
      assert.deepEqual(deleteOthers, deleteMissing);
      assert.deepEqual(deleteOthers, updateOthers);
    });

    test("the admin deletes another user's todo [rbac:delete-others-with-scope]", async () => {
      const bobs = await create(user, 'bob to be removed by admin');
      const deleted = expectSuccess(await callRaw(admin, 'delete-todo', { id: bobs.id }));
      assert.deepEqual(deleted, bobs);
      assert.ok(!(await listIds(user)).includes(bobs.id));
      expectToolError(await callRaw(user, 'delete-todo', { id: bobs.id }), 'not_found');
    });

    test("the admin cannot update another user's todo: not_found, unchanged [rbac:update-owner-only]", async () => {
      const bobs = await create(user, 'bob keeps this');
      expectToolError(await callRaw(admin, 'update-todo', { id: bobs.id, done: true }), 'not_found');
      assert.deepEqual(
        (await list(user)).find((t) => t.id === bobs.id),
        bobs,
      );
    });

    test('users delete and update their own todos [rbac:delete-own]', async () => {
      const mine = await create(user, 'bob temporary');
      const updated = expectSuccess(
        await callRaw(user, 'update-todo', { id: mine.id, content: 'bob edited' }),
      );
      assert.equal(updated.content, 'bob edited');
      const deleted = expectSuccess(await callRaw(user, 'delete-todo', { id: mine.id }));
      assert.equal(deleted.id, mine.id);
      assert.ok(!(await listIds(user)).includes(mine.id));
    });

    test('a token without scopes cannot create: HTTP 403 create:todos, nothing stored [rbac:create-needs-scope]', async () => {
      const fresh = await connect(subjects.none, SCOPES.none);
      const before = await listIds(none);
      await expectStepUp(
        fresh.callTool({ name: 'create-todo', arguments: { content: 'should not exist' } }),
        'create:todos',
      );
      assert.deepEqual(await listIds(none), before);
      assert.ok(
        !(await list(admin, { ownerId: subjects.none })).some((t) => t.content === 'should not exist'),
      );
    });

    test('a token without scopes lists, updates and deletes its own todos [rbac:no-scope-own-todos]', async () => {
      const own = await create(noneCreator, 'dee own');
      const bobs = await create(user, 'not for dee');
      const seen = await list(none);
      assert.ok(seen.some((t) => t.id === own.id));
      assert.ok(seen.every((t) => t.ownerId === subjects.none));
      assert.ok(!seen.some((t) => t.id === bobs.id));
      const updated = expectSuccess(await callRaw(none, 'update-todo', { id: own.id, done: true }));
      assert.equal(updated.done, true);
      expectToolError(await callRaw(none, 'delete-todo', { id: bobs.id }), 'not_found');
      expectSuccess(await callRaw(none, 'delete-todo', { id: own.id }));
      assert.ok(!(await listIds(none)).includes(own.id));
    });

    test("a user replaying the admin's cursor sees no one else's todos [rbac:cursor-no-widening]", async () => {
      for (let i = 0; i < 3; i++) {
        await create(admin, `ann page ${i}`);
        await create(other, `cy page ${i}`);
      }
      const adminPage = expectSuccess(await callRaw(admin, 'get-todos', { limit: 2 }));
      assert.equal(typeof adminPage.nextCursor, 'string');
      const replay = await callRaw(user, 'get-todos', { limit: 200, cursor: adminPage.nextCursor });
      if (replay.isError) {
        expectToolError(replay, 'invalid_params');
      } else {
        const todos = expectSuccess(replay).todos as Todo[];
        assert.ok(todos.every((t) => t.ownerId === subjects.user));
      }
    });
  });
}
