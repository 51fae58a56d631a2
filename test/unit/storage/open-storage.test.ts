import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { configSchema } from '../../../src/config/load-config.js';
import { isPostgresUrl, openStorage } from '../../../src/storage/open-storage.js';
import { ADMIN_URL, admin, freshSchema, type TestDatabase } from '../../support/postgres.js';

describe('openStorage', () => {
  let dir: string;
  let schema: TestDatabase;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'open-storage-'));
    schema = await freshSchema();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await schema.dispose();
  });

  test('postgres: and postgresql: URLs, in any case, name PostgreSQL; everything else is SQLite', () => {
    for (const url of ['postgres://h/db', 'postgresql://h/db', 'POSTGRES://h/db', 'PostgreSQL://h/db']) {
      assert.equal(isPostgresUrl(url), true, url);
    }
    for (const url of [
      './data/todos.db',
      'file:///tmp/x.db',
      ':memory:',
      'data/postgres.db',
      'mysql://h/db',
    ]) {
      assert.equal(isPostgresUrl(url), false, url);
    }
  });

  test('DATABASE_URL accepts postgres:// and postgresql:// URLs and refuses malformed ones', () => {
    const databaseUrl = configSchema.shape.DATABASE_URL;
    for (const url of ['postgres://u@db.internal:5432/todos', 'postgresql://db/todos?sslmode=require']) {
      assert.equal(databaseUrl.parse(url), url);
    }
    for (const url of ['postgres:todos', 'postgresql:/db', 'postgres://bad host/db']) {
      assert.equal(databaseUrl.safeParse(url).success, false, url);
    }
  });

  test('a SQLite path opens SQLite: no pool statistics', async () => {
    const storage = await openStorage(join(dir, 'todos.db'));
    try {
      await storage.ping();
      assert.equal(storage.poolStats(), undefined);
    } finally {
      await storage.close();
    }
  });

  test('a postgresql:// URL opens PostgreSQL with pool statistics; close ends the pool', async () => {
    const storage = await openStorage(schema.url.replace(/^postgres:/, 'postgresql:'));
    await storage.ping();
    const stats = storage.poolStats();
    assert.ok(stats !== undefined && stats.total >= 1 && stats.total <= 10, JSON.stringify(stats));
    assert.equal(stats.waiting, 0);
    const { rows } = await admin((client) =>
      client.query<{ n: number }>(
        "SELECT count(*)::integer AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'todos'",
        [schema.name],
      ),
    );
    assert.equal(rows[0]?.n, 1, 'openStorage migrated the schema');
    await storage.close();
    await storage.close();
    await assert.rejects(storage.ping());
  });

  test('an unreachable server fails the opening instead of returning a storage that cannot serve', async () => {
    const unreachable = new URL(ADMIN_URL);
    unreachable.port = '1';
    await assert.rejects(openStorage(unreachable.toString()), { code: 'ECONNREFUSED' });
  });

  test('a database that does not exist fails the opening', async () => {
    const missing = new URL(ADMIN_URL);
    missing.pathname = '/no_such_database_for_todo_tests';
    await assert.rejects(openStorage(missing.toString()), { code: '3D000' });
  });
});
