import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import { ADMIN_URL, admin, useFreshSchema } from '../support/postgres.js';

describe('openStorage on PostgreSQL', () => {
  const schema = useFreshSchema();

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
