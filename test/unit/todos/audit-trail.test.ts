import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { migrate } from '../../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../../src/storage/sqlite/open-database.js';
import { createSqliteAuditLog } from '../../../src/storage/sqlite/sqlite-audit-log.js';
import { accessPolicy } from '../../../src/todos/access-policy.js';
import { createAuditTrail } from '../../../src/todos/audit-trail.js';
import type { Actor } from '../../../src/todos/scopes.js';

const NOW = '2026-04-02T08:30:00.000Z';
const scoped = (subject: string, ...scopes: string[]): Actor => ({
  subject,
  clientId: `${subject}-app`,
  scopes: new Set(scopes),
});
const READER = scoped('ann', 'read:todos');

function harness() {
  const db = openDatabase(':memory:');
  migrate(db);
  const log = createSqliteAuditLog(db);
  return { log, trail: createAuditTrail({ log, clock: () => new Date(NOW) }), close: () => db.close() };
}

describe('audit trail', () => {
  test('audit:read-needs-read-todos only read:todos reads the trail', async () => {
    for (const [who, allowed] of [
      [scoped('a', 'create:todos', 'read:todos', 'delete:todos'), true],
      [scoped('b', 'read:todos'), true],
      [scoped('c', 'create:todos', 'delete:todos'), false],
      [scoped('d', 'Read:Todos', 'read:todos:all'), false],
      [scoped('e'), false],
    ] as const) {
      const decision = accessPolicy.readAudit(who);
      assert.equal(decision.allowed, allowed, who.subject);
      if (!decision.allowed) assert.equal(decision.missingScope, 'read:todos');
      const h = harness();
      if (allowed) assert.deepEqual(await h.trail.read(who), { events: [] });
      else await assert.rejects(h.trail.read(who), { code: 'insufficient_scope' });
      h.close();
    }
  });

  test('audit:denied-recorded a refused step-up records tool, scope, actor and client as denied', async () => {
    const h = harness();
    await h.trail.denied(scoped('bob', 'create:todos'), 'get-audit-events', 'read:todos');
    const { events } = await h.trail.read(READER);
    assert.deepEqual(events, [
      {
        id: events[0]?.id,
        time: NOW,
        action: 'denied',
        actor: 'bob',
        clientId: 'bob-app',
        isAdminAction: false,
        outcome: 'denied',
        tool: 'get-audit-events',
        scope: 'read:todos',
      },
    ]);
    h.close();
  });

  test('audit:pages pages follow nextCursor newest first, every event once, the last page has no cursor', async () => {
    const h = harness();
    for (let i = 0; i < 7; i++)
      await h.trail.denied(scoped(i % 2 ? 'odd' : 'even'), 'create-todo', 'create:todos');
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await h.trail.read(READER, { limit: 3, ...(cursor !== undefined && { cursor }) });
      seen.push(...result.events.map((e) => e.id));
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    assert.equal(cursor, undefined);
    assert.equal(seen.length, 7);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
    const evens = await h.trail.read(READER, { actor: 'even' });
    assert.deepEqual(
      evens.events.map((e) => e.actor),
      ['even', 'even', 'even', 'even'],
    );
    h.close();
  });

  test('audit:cursor-bound a cursor is refused with another actor filter, and garbage cursors are refused', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) await h.trail.denied(scoped('bob'), 'create-todo', 'create:todos');
    const first = await h.trail.read(READER, { limit: 1, actor: 'bob' });
    assert.ok(first.nextCursor);
    await assert.rejects(h.trail.read(READER, { cursor: first.nextCursor }), { code: 'invalid_params' });
    await assert.rejects(h.trail.read(READER, { cursor: first.nextCursor, actor: 'eve' }), {
      code: 'invalid_params',
    });
    for (const cursor of ['', 'nope!', Buffer.from('[-1,"x"]').toString('base64url'), 'A'.repeat(200)]) {
      await assert.rejects(h.trail.read(READER, { cursor }), { code: 'invalid_params' }, cursor);
    }
    for (const limit of [0, 201, 1.5]) {
      await assert.rejects(h.trail.read(READER, { limit }), { code: 'invalid_params' }, String(limit));
    }
    h.close();
  });
});
