import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration, migrate } from '../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../src/storage/sqlite/open-database.js';
import { createSqliteTodoStore } from '../../src/storage/sqlite/sqlite-todo-store.js';
import type { Todo } from '../../src/todos/todo.js';
import type { ListQuery } from '../../src/todos/todo-store.js';
import { type StoreUnderTest, todoStoreContract } from './todo-store.contract.js';

async function tempDatabase(): Promise<{ path: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-store-contract-'));
  return { path: join(dir, 'todos.db'), dispose: () => rm(dir, { recursive: true, force: true }) };
}

todoStoreContract('SQLite (temporary file)', async (): Promise<StoreUnderTest> => {
  const file = await tempDatabase();
  const db = openDatabase(file.path);
  migrate(db);
  const store = createSqliteTodoStore(db);
  return {
    store,
    async cleanup() {
      await store.close();
      await file.dispose();
    },
  };
});

/** Records the SQL of every statement the store prepares, so its real queries can be explained. */
function recordPreparedSql(db: Database.Database): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  return seen;
}

describe('SQLite todo store: query plans', () => {
  const T0 = Date.parse('2026-05-01T08:00:00.000Z');
  const after = { createdAt: new Date(T0 + 500).toISOString(), id: 'M'.repeat(22) };
  const PAGE_QUERIES: Record<string, Omit<ListQuery, 'limit'>> = {
    'own list': { reach: { kind: 'owner', ownerId: 'owner-5' } },
    'all list': { reach: { kind: 'any' } },
    'own list after a key': { reach: { kind: 'owner', ownerId: 'owner-5' }, after },
    'all list after a key': { reach: { kind: 'any' }, after },
    'own list, done and text, after a key': {
      reach: { kind: 'owner', ownerId: 'owner-5' },
      after,
      done: false,
      text: 'milk',
    },
    'all list, done and text, after a key': { reach: { kind: 'any' }, after, done: true, text: 'milk' },
  };

  for (const analyzed of [false, true]) {
    for (const [name, query] of Object.entries(PAGE_QUERIES)) {
      const expectedIndex = query.reach.kind === 'owner' ? 'todos_by_owner' : 'todos_by_time';
      test(`${name} reads ${expectedIndex} in order: no table scan, no temp b-tree${analyzed ? ' (after ANALYZE)' : ''}`, async () => {
        const db = openDatabase(':memory:');
        try {
          migrate(db);
          const seen = recordPreparedSql(db);
          const store = createSqliteTodoStore(db);
          for (let i = 0; i < 400; i++) {
            const createdAt = new Date(T0 + i * 3).toISOString();
            const todo: Todo = {
              id: `${String(i).padStart(4, '0')}${'x'.repeat(18)}`,
              content: i % 5 === 0 ? 'buy milk' : 'other',
              ownerId: `owner-${i % 20}`,
              createdAt,
              updatedAt: createdAt,
              done: i % 2 === 0,
            };
            await store.insert(todo);
          }
          if (analyzed) db.exec('ANALYZE');

          const before = seen.length;
          const rows = await store.list({ ...query, limit: 51 });
          assert.ok(rows.length > 0, 'the query finds rows, so the plan is for a real page');
          const selects = seen.slice(before).filter((sql) => /^\s*SELECT\b/i.test(sql));
          assert.equal(selects.length, 1, 'one page query was prepared');
          const sql = selects[0] as string;
          const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
          const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
            (row) => row.detail,
          );
          assert.ok(
            plan.some((detail) => detail.includes(`INDEX ${expectedIndex}`)),
            `uses ${expectedIndex}: ${plan.join(' | ')}`,
          );
          assert.ok(!plan.some((detail) => /TEMP B-TREE/.test(detail)), `no sort step: ${plan.join(' | ')}`);
          assert.ok(
            !plan.some((detail) => /^SCAN todos$/.test(detail)),
            `no table scan: ${plan.join(' | ')}`,
          );
          if (query.after !== undefined || query.reach.kind === 'owner') {
            assert.ok(
              plan.some((detail) => detail.startsWith('SEARCH todos USING')),
              `seeks into the index: ${plan.join(' | ')}`,
            );
          }
        } finally {
          db.close();
        }
      });
    }
  }
});

describe('SQLite migrations', () => {
  const versions = MIGRATIONS.map((m) => m.version);
  const recorded = (db: Database.Database) =>
    db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
      applied_at: string;
    }[];

  test('the first run applies every migration in order and records each version', () => {
    const db = openDatabase(':memory:');
    try {
      assert.deepEqual(migrate(db), versions);
      assert.deepEqual(
        versions,
        [...versions].sort((a, b) => a - b),
        'migrations are listed in order',
      );
      assert.equal(new Set(versions).size, versions.length, 'versions are unique');
      const rows = recorded(db);
      assert.deepEqual(
        rows.map((r) => [r.version, r.name]),
        MIGRATIONS.map((m) => [m.version, m.name]),
      );
      for (const row of rows) assert.ok(!Number.isNaN(Date.parse(row.applied_at)), row.applied_at);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      assert.ok(tables.some((t) => t.name === 'todos'));
    } finally {
      db.close();
    }
  });

  test('running again applies nothing and changes nothing, also after reopening the file', async () => {
    const file = await tempDatabase();
    try {
      const first = openDatabase(file.path);
      assert.deepEqual(migrate(first), versions);
      const store = createSqliteTodoStore(first);
      const createdAt = '2026-05-01T08:00:00.000Z';
      const todo: Todo = {
        id: 'a'.repeat(22),
        content: 'kept',
        ownerId: 'o',
        createdAt,
        updatedAt: createdAt,
        done: false,
      };
      await store.insert(todo);
      const rowsBefore = recorded(first);
      assert.deepEqual(migrate(first), []);
      assert.deepEqual(recorded(first), rowsBefore);
      first.close();

      const reopened = openDatabase(file.path);
      try {
        assert.deepEqual(migrate(reopened), []);
        assert.deepEqual(recorded(reopened), rowsBefore);
        assert.deepEqual(await createSqliteTodoStore(reopened).list({ reach: { kind: 'any' }, limit: 10 }), [
          todo,
        ]);
      } finally {
        reopened.close();
      }
    } finally {
      await file.dispose();
    }
  });

  test('a later migration is applied alone, once', () => {
    const db = openDatabase(':memory:');
    try {
      migrate(db);
      const next: Migration = {
        version: Math.max(...versions) + 1,
        name: 'add a test table',
        sql: 'CREATE TABLE migration_probe (x INTEGER)',
      };
      assert.deepEqual(migrate(db, [...MIGRATIONS, next]), [next.version]);
      assert.deepEqual(migrate(db, [...MIGRATIONS, next]), []);
      assert.deepEqual(
        recorded(db).map((r) => r.version),
        [...versions, next.version],
      );
    } finally {
      db.close();
    }
  });

  test('a failing migration rolls back completely and records nothing', () => {
    const db = openDatabase(':memory:');
    try {
      migrate(db);
      const top = Math.max(...versions);
      const good: Migration = { version: top + 1, name: 'good', sql: 'CREATE TABLE probe_good (x INTEGER)' };
      const bad: Migration = {
        version: top + 2,
        name: 'bad',
        sql: 'CREATE TABLE probe_partial (x INTEGER); INSERT INTO no_such_table VALUES (1);',
      };
      assert.throws(() => migrate(db, [...MIGRATIONS, good, bad]));
      assert.deepEqual(
        recorded(db).map((r) => r.version),
        versions,
      );
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
      ).map((t) => t.name);
      assert.ok(!tables.includes('probe_good'));
      assert.ok(!tables.includes('probe_partial'));
    } finally {
      db.close();
    }
  });
});
