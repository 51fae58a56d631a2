import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration, migrate } from '../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../src/storage/sqlite/open-database.js';
import { createSqliteTodoStore } from '../../src/storage/sqlite/sqlite-todo-store.js';
import type { Todo } from '../../src/todos/todo.js';
import { makeTempDir } from '../support/temp-dir.js';

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
    const dir = await makeTempDir('sqlite-migrations-');
    try {
      const first = openDatabase(dir.file('todos.db'));
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

      const reopened = openDatabase(dir.file('todos.db'));
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
      await dir.dispose();
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

  test('a version missing below the highest applied one (released later) is applied alone, once', () => {
    const db = openDatabase(':memory:');
    try {
      const top = Math.max(...versions);
      const earlier: Migration = {
        version: top + 1,
        name: 'earlier',
        sql: 'CREATE TABLE probe_a (x INTEGER)',
      };
      const later: Migration = { version: top + 2, name: 'later', sql: 'CREATE TABLE probe_b (x INTEGER)' };
      assert.deepEqual(migrate(db, [...MIGRATIONS, later]), [...versions, later.version]);
      assert.deepEqual(migrate(db, [...MIGRATIONS, earlier, later]), [earlier.version]);
      assert.deepEqual(migrate(db, [...MIGRATIONS, earlier, later]), []);
      assert.deepEqual(
        recorded(db).map((r) => r.version),
        [...versions, earlier.version, later.version],
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

  test('version 6 counts the todos each owner already has, so the cap holds from the first create', async () => {
    const db = openDatabase(':memory:');
    try {
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version < 6),
      );
      const insert = db.prepare(
        "INSERT INTO todos (id, owner_id, content, done, created_at, updated_at) VALUES (?, ?, 'x', 0, ?, ?)",
      );
      const at = '2026-05-01T08:00:00.000Z';
      for (let i = 0; i < 5; i += 1) insert.run(`old-${i}`.padEnd(22, '0'), i < 3 ? 'ann' : 'bob', at, at);
      assert.deepEqual(migrate(db), [6, 7, 8]);
      const store = createSqliteTodoStore(db);
      assert.equal(await store.countOwned('ann'), 3);
      assert.equal(await store.countOwned('bob'), 2);
      const next: Todo = {
        id: 'n'.repeat(22),
        content: 'y',
        ownerId: 'ann',
        createdAt: at,
        updatedAt: at,
        done: false,
      };
      assert.equal((await store.create(next, { cap: 3 })).kind, 'over_cap');
    } finally {
      db.close();
    }
  });
});
