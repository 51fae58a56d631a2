import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import { postMcp, toolCallBody } from '../support/auth-http.js';
import { startDroppingProxy } from '../support/dropping-proxy.js';
import { call, connectClient } from '../support/mcp-client.js';
import { freshSchema, type TestDatabase } from '../support/postgres.js';
import { type RunningServer, startServer } from '../support/start-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';
import { fillToQuota } from '../support/todo-seed.js';

const AUDIENCE = 'http://localhost/mcp';

/** A database of either backend, fresh for this file, and how to drop it. */
async function database(kind: 'sqlite' | 'postgres'): Promise<{ url: string; dispose(): Promise<void> }> {
  if (kind === 'postgres') {
    const schema: TestDatabase = await freshSchema();
    return { url: schema.url, dispose: schema.dispose };
  }
  const dir = await makeTempDir('create-retries-');
  return { url: dir.file('todos.db'), dispose: dir.dispose };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`create-todo under retries and races (${kind}, two instances)`, () => {
    let issuer: TestIssuer;
    let db: { url: string; dispose(): Promise<void> };
    let instances: RunningServer[] = [];

    before(async () => {
      issuer = await startTestIssuer({ audience: AUDIENCE });
      db = await database(kind);
      const settings = { DATABASE_URL: db.url, AUTH_AUDIENCE: AUDIENCE, RATE_LIMIT_PER_MINUTE: '0' };
      // One after the other: both migrate the same database, and the first creates it.
      instances = [await startServer(issuer.issuer, settings)];
      instances.push(await startServer(issuer.issuer, settings));
    });
    after(async () => {
      for (const instance of instances) await instance.close();
      await issuer?.close();
      await db?.dispose();
    });

    const tokenFor = (sub: string) => issuer.sign({ claims: { sub, scope: 'create:todos' } });

    test('abuse:todo-cap-concurrent an owner at 9,999 todos sends 20 creates at once: exactly one is stored', async () => {
      await fillToQuota(db.url, 'heavy', 1);
      const token = await tokenFor('heavy');
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const url = instances[i % 2]?.mcpUrl ?? '';
          const result = await postMcp(url, {
            token,
            body: toolCallBody('create-todo', { content: `race ${i}` }),
          });
          assert.equal(result.status, 200);
          return JSON.parse(result.text) as { result: { isError?: boolean; content: { text: string }[] } };
        }),
      );
      const stored = answers.filter((a) => a.result.isError !== true);
      assert.equal(stored.length, 1, 'one create was stored');
      for (const refused of answers.filter((a) => a.result.isError === true)) {
        assert.equal(JSON.parse(refused.result.content[0]?.text ?? '{}').error.code, 'quota_exceeded');
      }
      const storage = await openStorage(db.url);
      try {
        assert.equal(await storage.todos.countOwned('heavy'), 10_000);
        assert.equal(
          (await storage.todos.list({ reach: { kind: 'owner', ownerId: 'heavy' }, limit: 200, text: 'race' }))
            .length,
          1,
        );
      } finally {
        await storage.close();
      }
    });

    test('mcp:create-idempotent a create whose response was lost, retried with its key, returns the first todo', async () => {
      const [first] = instances;
      const proxy = await startDroppingProxy(Number(new URL(first?.mcpUrl ?? '').port), 'create-todo');
      const client = await connectClient(`${proxy.origin}/mcp`, await tokenFor('flaky'));
      try {
        const args = { content: 'buy milk', idempotencyKey: 'retry-1' };
        await assert.rejects(call(client, 'create-todo', args), 'the first answer never arrives');
        assert.equal(proxy.dropped(), 1);
        const retried = await call(client, 'create-todo', args);
        assert.equal(retried.isError, false);
        const other = await connectClient(
          instances[1]?.mcpUrl ?? '',
          await issuer.sign({ claims: { sub: 'flaky', scope: 'create:todos' } }),
        );
        const listed = await call(other, 'get-todos');
        await other.close();
        assert.deepEqual(listed.value.todos, [retried.value], 'exactly one todo, the one the retry returned');
        const again = await call(client, 'create-todo', { content: 'buy milk', idempotencyKey: 'retry-2' });
        assert.notEqual(again.value.id, retried.value.id, 'another key creates another todo');
      } finally {
        await client.close();
        await proxy.close();
      }
    });
  });
}
