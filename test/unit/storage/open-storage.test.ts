import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema } from '../../../src/config/load-config.js';
import { isPostgresUrl, openStorage } from '../../../src/storage/open-storage.js';
import { useTempDir } from '../../support/temp-dir.js';

describe('openStorage', () => {
  const inTemp = useTempDir('open-storage-');

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
    const storage = await openStorage(inTemp('todos.db'));
    try {
      await storage.ping();
      assert.equal(storage.poolStats(), undefined);
    } finally {
      await storage.close();
    }
  });
});
