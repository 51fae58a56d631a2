import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type pg from 'pg';
import { openStorage } from '../../src/storage/open-storage.js';
import { createPool, endPool } from '../../src/storage/postgres/create-pool.js';
import { MIGRATIONS, type Migration, migrate } from '../../src/storage/postgres/migrations.js';
import { runCli } from '../support/cli.js';
import { admin, freshDatabase, freshSchema, type TestDatabase } from '../support/postgres.js';

const versions = MIGRATIONS.map((m) => m.version);
const top = Math.max(...versions);

interface Recorded {
  version: number;
  name: string;
  applied_at: Date;
}

const recorded = async (pool: pg.Pool) =>
  (await pool.query<Recorded>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version'))
    .rows;

const tables = async (pool: pg.Pool) =>
  (
    await pool.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
    )
  ).rows.map((r) => r.name);

describe('PostgreSQL migrations', () => {
  let schema: TestDatabase;
  let pool: pg.Pool;

  beforeEach(async () => {
    schema = await freshSchema();
    pool = createPool(schema.url);
  });
  afterEach(async () => {
    await endPool(pool);
    await schema.dispose();
  });

  test('the first run applies every migration in order and records each version', async () => {
    assert.deepEqual(await migrate(pool), versions);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
      'migrations are listed in order',
    );
    assert.equal(new Set(versions).size, versions.length, 'versions are unique');
    const rows = await recorded(pool);
    assert.deepEqual(
      rows.map((r) => [r.version, r.name]),
      MIGRATIONS.map((m) => [m.version, m.name]),
    );
    for (const row of rows)
      assert.ok(row.applied_at instanceof Date && !Number.isNaN(row.applied_at.getTime()));
    const names = await tables(pool);
    for (const table of ['todos', 'oidc_models', 'users', 'signing_keys', 'secrets', 'schema_migrations']) {
      assert.ok(names.includes(table), `${table} is created in the selected schema`);
    }
  });

  test('running again applies nothing and changes nothing, also when openStorage reopens it', async () => {
    assert.deepEqual(await migrate(pool), versions);
    const storage = await openStorage(schema.url);
    try {
      assert.deepEqual(storage.applied, []);
      const at = '2026-05-01T08:00:00.000Z';
      const todo = {
        id: 'a'.repeat(22),
        content: 'kept',
        ownerId: 'o',
        createdAt: at,
        updatedAt: at,
        done: false,
      };
      await storage.todos.insert(todo);
      const before = await recorded(pool);
      assert.deepEqual(await migrate(pool), []);
      assert.deepEqual(await recorded(pool), before);
      assert.deepEqual(await storage.todos.list({ reach: { kind: 'any' }, limit: 10 }), [todo]);
    } finally {
      await storage.close();
    }
  });

  test('a later migration is applied alone, once', async () => {
    await migrate(pool);
    const next: Migration = {
      version: top + 1,
      name: 'add a probe',
      sql: 'CREATE TABLE migration_probe (x int)',
    };
    assert.deepEqual(await migrate(pool, [...MIGRATIONS, next]), [next.version]);
    assert.deepEqual(await migrate(pool, [...MIGRATIONS, next]), []);
    assert.deepEqual(
      (await recorded(pool)).map((r) => r.version),
      [...versions, next.version],
    );
  });

  test('a version missing below the highest applied one (released later) is applied alone, once', async () => {
    const earlier: Migration = { version: top + 1, name: 'earlier', sql: 'CREATE TABLE probe_a (x int)' };
    const later: Migration = { version: top + 2, name: 'later', sql: 'CREATE TABLE probe_b (x int)' };
    assert.deepEqual(await migrate(pool, [...MIGRATIONS, later]), [...versions, later.version]);
    assert.deepEqual(await migrate(pool, [...MIGRATIONS, earlier, later]), [earlier.version]);
    assert.deepEqual(await migrate(pool, [...MIGRATIONS, earlier, later]), []);
    assert.deepEqual(
      (await recorded(pool)).map((r) => r.version),
      [...versions, earlier.version, later.version],
    );
    assert.ok((await tables(pool)).includes('probe_a'));
  });

  test('a failing migration rolls back completely and records nothing', async () => {
    await migrate(pool);
    const good: Migration = { version: top + 1, name: 'good', sql: 'CREATE TABLE probe_good (x int)' };
    const bad: Migration = {
      version: top + 2,
      name: 'bad',
      sql: 'CREATE TABLE probe_partial (x int); INSERT INTO no_such_table VALUES (1);',
    };
    await assert.rejects(migrate(pool, [...MIGRATIONS, good, bad]), { code: '42P01' });
    assert.deepEqual(
      (await recorded(pool)).map((r) => r.version),
      versions,
    );
    const names = await tables(pool);
    assert.ok(!names.includes('probe_good') && !names.includes('probe_partial'), names.join(', '));
    assert.equal(pool.totalCount - pool.idleCount, 0, 'the connection went back to the pool');
  });

  test('the migrate command applies every version, then reports the database up to date', async () => {
    const first = await runCli(['migrate', '--database-url', schema.url]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `Applied migrations: ${versions.join(', ')}\n`);
    const second = await runCli(['migrate', '--database-url', schema.url]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'The database is up to date.\n');
    assert.deepEqual(
      (await recorded(pool)).map((r) => r.version),
      versions,
    );
  });

  test('version 6 counts the todos each owner already has, so the cap holds from the first create', async () => {
    await migrate(
      pool,
      MIGRATIONS.filter((m) => m.version < 6),
    );
    await pool.query(
      `INSERT INTO todos (id, owner_id, content, done, created_at, updated_at)
       SELECT 'old-' || i, CASE WHEN i <= 3 THEN 'ann' ELSE 'bob' END, 'x', false, now(), now()
       FROM generate_series(1, 5) AS i`,
    );
    assert.deepEqual(await migrate(pool), [6, 7, 8]);
    const storage = await openStorage(schema.url);
    try {
      assert.equal(await storage.todos.countOwned('ann'), 3);
      assert.equal(await storage.todos.countOwned('bob'), 2);
      const at = new Date().toISOString();
      const next = {
        id: 'n'.repeat(22),
        content: 'y',
        ownerId: 'ann',
        createdAt: at,
        updatedAt: at,
        done: false,
      };
      assert.equal((await storage.todos.create(next, { cap: 3 })).kind, 'over_cap');
    } finally {
      await storage.close();
    }
  });
});

describe('PostgreSQL migrations: five instances starting together on one empty database', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    await database.dispose();
  });

  test('each version is applied once, by one of them, and every instance can serve', async () => {
    const openers = await Promise.all(Array.from({ length: 5 }, () => openStorage(database.url)));
    try {
      const applied = openers.map((s) => s.applied);
      assert.equal(applied.filter((a) => a.length > 0).length, 1, JSON.stringify(applied));
      assert.deepEqual(
        applied.flat().sort((a, b) => a - b),
        versions,
      );
      await Promise.all(openers.map((s) => s.ping()));
      const rows = await admin(
        async (client) =>
          (
            await client.query<{ version: number; n: number }>(
              'SELECT version, count(*)::integer AS n FROM schema_migrations GROUP BY version ORDER BY version',
            )
          ).rows,
        database.url,
      );
      assert.deepEqual(
        rows,
        versions.map((version) => ({ version, n: 1 })),
      );
    } finally {
      await Promise.all(openers.map((s) => s.close()));
    }
  });
});
