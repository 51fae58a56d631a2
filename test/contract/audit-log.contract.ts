import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  type AuditEvent,
  type AuditLog,
  MAX_AUDIT_PAGE,
  type NewAuditEvent,
} from '../../src/todos/audit-log.js';

export interface AuditLogUnderTest {
  readonly log: AuditLog;
  /** Runs one raw SQL statement on the adapter's own database, bypassing the port. */
  sql(statement: string): Promise<unknown>;
  /** The error code the database raises when its append-only rule refuses a statement. */
  readonly refusedCode: string;
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2026-06-01T09:00:00.000Z');
let serial = 0;

function event(fields: Partial<NewAuditEvent> = {}): NewAuditEvent {
  serial += 1;
  return {
    time: new Date(T0 + serial).toISOString(),
    action: 'create',
    actor: 'alice',
    clientId: 'client-a',
    todoId: `todo${String(serial).padStart(18, '0')}`,
    ownerId: 'alice',
    isAdminAction: false,
    outcome: 'ok',
    ...fields,
  };
}

const withoutId = ({ id: _, ...rest }: AuditEvent): NewAuditEvent => rest;

/** The behaviour every `AuditLog` adapter must show, against a fresh database per test. */
export function auditLogContract(name: string, open: () => Promise<AuditLogUnderTest>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let subject: AuditLogUnderTest;
    let log: AuditLog;
    beforeEach(async () => {
      subject = await open();
      log = subject.log;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    test('audit:record-round-trip an event reads back exactly as recorded, optional fields absent when not given', async () => {
      const change = event({ action: 'delete', actor: 'ann', ownerId: 'bob', isAdminAction: true });
      const denial: NewAuditEvent = {
        time: new Date(T0 + 999).toISOString(),
        action: 'denied',
        actor: 'bob',
        clientId: '',
        isAdminAction: false,
        outcome: 'denied',
        tool: 'create-todo',
        scope: 'create:todos',
      };
      const { ownerId: _, ...missingWithoutOwner } = event({ action: 'update', outcome: 'not_found' });
      for (const e of [change, denial, missingWithoutOwner]) await log.record(e);
      const listed = await log.list({ limit: 10 });
      assert.deepEqual(listed.map(withoutId), [missingWithoutOwner, denial, change]);
      assert.ok(!('ownerId' in (listed[0] as object)), 'an absent field stays absent');
      assert.ok(!('tool' in (listed[2] as object)));
    });

    test('audit:monotonic-ids ids grow with every record and list returns newest first', async () => {
      for (let i = 0; i < 5; i++) await log.record(event());
      const ids = (await log.list({ limit: 10 })).map((e) => e.id);
      assert.equal(ids.length, 5);
      for (const id of ids) assert.ok(Number.isSafeInteger(id) && id > 0, String(id));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
      assert.equal(new Set(ids).size, ids.length);
    });

    test('audit:page-before and actor filters narrow the list and combine', async () => {
      for (let i = 0; i < 6; i++) await log.record(event({ actor: i % 2 === 0 ? 'alice' : 'bob' }));
      const all = await log.list({ limit: 10 });
      const third = all[2] as AuditEvent;
      assert.deepEqual(await log.list({ limit: 10, before: third.id }), all.slice(3));
      const bobs = await log.list({ limit: 10, actor: 'bob' });
      assert.deepEqual(
        bobs,
        all.filter((e) => e.actor === 'bob'),
      );
      assert.deepEqual(
        await log.list({ limit: 1, before: third.id, actor: 'bob' }),
        all
          .slice(3)
          .filter((e) => e.actor === 'bob')
          .slice(0, 1),
      );
      assert.deepEqual(await log.list({ limit: 10, actor: 'nobody' }), []);
    });

    test('audit:console-filters owner, action and time range narrow the list and combine with paging', async () => {
      await log.record(event({ action: 'create', ownerId: 'alice' }));
      await log.record(event({ action: 'delete', ownerId: 'bob' }));
      await log.record(event({ action: 'create', ownerId: 'bob' }));
      await log.record(event({ action: 'update', ownerId: 'bob' }));
      const all = await log.list({ limit: 10 });
      const at = (i: number) => (all[i] as AuditEvent).time;
      assert.deepEqual(
        await log.list({ limit: 10, ownerId: 'bob' }),
        all.filter((e) => e.ownerId === 'bob'),
      );
      assert.deepEqual(
        await log.list({ limit: 10, action: 'create', ownerId: 'bob' }),
        all.filter((e) => e.action === 'create' && e.ownerId === 'bob'),
      );
      // Newest first: [update bob, create bob, delete bob, create alice]; since is inclusive, until exclusive.
      assert.deepEqual(await log.list({ limit: 10, since: at(2), until: at(0) }), all.slice(1, 3));
      const first = all[1] as AuditEvent;
      assert.deepEqual(await log.list({ limit: 10, before: first.id, ownerId: 'bob' }), all.slice(2, 3));
    });

    test(`audit:bounded-page a list returns at most ${MAX_AUDIT_PAGE} events whatever the limit`, async () => {
      for (let i = 0; i < MAX_AUDIT_PAGE + 5; i++) await log.record(event());
      assert.equal((await log.list({ limit: 10_000 })).length, MAX_AUDIT_PAGE);
      assert.equal((await log.list({ limit: 7 })).length, 7);
    });

    test('audit:append-only UPDATE and DELETE on audit_events are refused by the database', async () => {
      await log.record(event({ actor: 'kept' }));
      const before = await log.list({ limit: 10 });
      await assert.rejects(subject.sql("UPDATE audit_events SET actor = 'rewritten'"), {
        code: subject.refusedCode,
      });
      await assert.rejects(subject.sql('DELETE FROM audit_events'), { code: subject.refusedCode });
      await assert.rejects(subject.sql("DELETE FROM audit_events WHERE actor = 'kept'"), {
        code: subject.refusedCode,
      });
      await assert.rejects(subject.sql("UPDATE audit_events SET todo_id = NULL WHERE actor = 'kept'"), {
        code: subject.refusedCode,
      });
      assert.deepEqual(await log.list({ limit: 10 }), before);
      await log.record(event({ actor: 'still appendable' }));
      assert.equal((await log.list({ limit: 10 })).length, 2);
    });

    test('audit:closed-vocabulary the database refuses an unknown action or outcome', async () => {
      await assert.rejects(log.record(event({ action: 'rename' as NewAuditEvent['action'] })));
      await assert.rejects(log.record(event({ outcome: 'maybe' as NewAuditEvent['outcome'] })));
      assert.deepEqual(await log.list({ limit: 10 }), []);
    });
  });
}
