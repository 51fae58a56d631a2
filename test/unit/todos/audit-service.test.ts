import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { migrate } from '../../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../../src/storage/sqlite/open-database.js';
import { createSqliteAuditLog } from '../../../src/storage/sqlite/sqlite-audit-log.js';
import { createSqliteTodoStore } from '../../../src/storage/sqlite/sqlite-todo-store.js';
import type { AuditEvent, AuditLog } from '../../../src/todos/audit-log.js';
import type { Actor } from '../../../src/todos/scopes.js';
import { newTodoId } from '../../../src/todos/todo.js';
import { createTodoService } from '../../../src/todos/todo-service.js';

const NOW = '2026-04-01T10:00:00.000Z';
const MISSING_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

const actor = (subject: string, clientId: string, ...scopes: string[]): Actor => ({
  subject,
  clientId,
  scopes: new Set(scopes),
});
const ADMIN = actor('ann', 'console', 'create:todos', 'read:todos', 'delete:todos');
const USER = actor('bob', 'desktop', 'create:todos');

/** The real service over real SQLite todo and audit stores, with a clock that stands still. */
function harness(audit?: (log: AuditLog) => AuditLog) {
  const db: Database.Database = openDatabase(':memory:');
  migrate(db);
  const log = createSqliteAuditLog(db);
  const service = createTodoService({
    store: createSqliteTodoStore(db),
    clock: () => new Date(NOW),
    newId: newTodoId,
    audit: audit ? audit(log) : log,
  });
  return {
    db,
    service,
    /** Every event, oldest first. */
    events: async (): Promise<AuditEvent[]> => (await log.list({ limit: 200 })).reverse(),
    close: () => db.close(),
  };
}

const fields = ({ id: _, ...rest }: AuditEvent) => rest;

describe('TodoService audit trail', () => {
  test('audit:create-recorded a create records actor, client, todo, owner and ok', async () => {
    const h = harness();
    const todo = await h.service.create(USER, 'buy milk');
    assert.deepEqual((await h.events()).map(fields), [
      {
        time: NOW,
        action: 'create',
        actor: 'bob',
        clientId: 'desktop',
        todoId: todo.id,
        ownerId: 'bob',
        isAdminAction: false,
        outcome: 'ok',
      },
    ]);
    h.close();
  });

  test('audit:update-recorded an update of an own todo is recorded as ok', async () => {
    const h = harness();
    const todo = await h.service.create(USER, 'draft');
    await h.service.update(USER, todo.id, { content: 'final', done: true });
    const last = (await h.events()).at(-1);
    assert.deepEqual(last && fields(last), {
      time: NOW,
      action: 'update',
      actor: 'bob',
      clientId: 'desktop',
      todoId: todo.id,
      ownerId: 'bob',
      isAdminAction: false,
      outcome: 'ok',
    });
    h.close();
  });

  test('audit:not-found-recorded a failed update or delete is recorded as not_found, naming no owner', async () => {
    const h = harness();
    const others = await h.service.create(ADMIN, 'the admin owns this');
    for (const id of [MISSING_ID, others.id]) {
      await assert.rejects(h.service.update(USER, id, { done: true }), { code: 'not_found' });
      await assert.rejects(h.service.delete(USER, id), { code: 'not_found' });
    }
    const failures = (await h.events()).slice(1).map(fields);
    assert.deepEqual(
      failures.map((e) => [e.action, e.outcome, e.todoId, e.ownerId, e.isAdminAction]),
      [
        ['update', 'not_found', MISSING_ID, undefined, false],
        ['delete', 'not_found', MISSING_ID, undefined, false],
        ['update', 'not_found', others.id, undefined, false],
        ['delete', 'not_found', others.id, undefined, false],
      ],
    );
    for (const e of failures) assert.ok(!('ownerId' in e), 'an out-of-reach todo does not reveal its owner');
    h.close();
  });

  test("audit:admin-action-marked deleting another user's todo is marked as an admin action", async () => {
    const h = harness();
    const bobs = await h.service.create(USER, 'bob writes this');
    const anns = await h.service.create(ADMIN, 'ann writes this');
    await h.service.delete(ADMIN, bobs.id);
    await h.service.delete(ADMIN, anns.id);
    const deletes = (await h.events()).filter((e) => e.action === 'delete').map(fields);
    assert.deepEqual(deletes, [
      {
        time: NOW,
        action: 'delete',
        actor: 'ann',
        clientId: 'console',
        todoId: bobs.id,
        ownerId: 'bob',
        isAdminAction: true,
        outcome: 'ok',
      },
      {
        time: NOW,
        action: 'delete',
        actor: 'ann',
        clientId: 'console',
        todoId: anns.id,
        ownerId: 'ann',
        isAdminAction: false,
        outcome: 'ok',
      },
    ]);
    h.close();
  });

  test('audit:no-content no stored audit row holds todo content', async () => {
    const h = harness();
    const secret = 'SECRET-CONTENT-7f3a';
    const todo = await h.service.create(USER, `remember ${secret}`);
    await h.service.update(USER, todo.id, { content: `changed ${secret}` });
    await assert.rejects(h.service.update(USER, MISSING_ID, { content: `probe ${secret}` }));
    await h.service.delete(USER, todo.id);
    const rows = h.db.prepare('SELECT * FROM audit_events').all();
    assert.equal(rows.length, 4);
    assert.ok(!JSON.stringify(rows).includes(secret), JSON.stringify(rows));
    h.close();
  });

  test('audit:malformed-id-not-stored a malformed id is recorded as a not_found without the id', async () => {
    const h = harness();
    await assert.rejects(h.service.delete(USER, 'not an id\u0000<script>'), { code: 'not_found' });
    const [only] = (await h.events()).map(fields);
    assert.deepEqual(only, {
      time: NOW,
      action: 'delete',
      actor: 'bob',
      clientId: 'desktop',
      isAdminAction: false,
      outcome: 'not_found',
    });
    h.close();
  });

  test('audit:invalid-input-unrecorded input refused before any change records nothing', async () => {
    const h = harness();
    await assert.rejects(h.service.create(USER, '   '), { code: 'invalid_params' });
    await assert.rejects(h.service.update(USER, MISSING_ID, {}), { code: 'invalid_params' });
    assert.deepEqual(await h.events(), []);
    h.close();
  });

  test('audit:record-failure-surfaces when the trail cannot record, the change is undone and the operation fails', async () => {
    const h = harness();
    const kept = await h.service.create(USER, 'kept');
    h.db.exec(`CREATE TRIGGER audit_broken BEFORE INSERT ON audit_events
      BEGIN SELECT RAISE(ABORT, 'the trail is full'); END`);
    await assert.rejects(h.service.create(USER, 'unrecorded'));
    await assert.rejects(h.service.update(USER, kept.id, { content: 'changed', done: true }));
    await assert.rejects(h.service.delete(USER, kept.id));
    assert.deepEqual((await h.service.list(USER)).todos, [kept], 'no change outlived its failed record');
    assert.equal(h.db.prepare("SELECT count FROM todo_counts WHERE owner_id = 'bob'").pluck().get(), 1);
    assert.equal((await h.events()).length, 1, 'only the first create was recorded');
    h.close();
  });

  test('audit:client-optional a caller whose token names no client is recorded with an empty client id', async () => {
    const h = harness();
    await h.service.create({ subject: 'cy', scopes: new Set(['create:todos']) }, 'no client');
    assert.equal((await h.events())[0]?.clientId, '');
    h.close();
  });
});
