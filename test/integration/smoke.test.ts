import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, connectClient } from '../support/mcp-client.js';
import { type RunningServer, startServerWithIssuer } from '../support/start-server.js';
import type { TestIssuer } from '../support/test-issuer.js';

let issuer: TestIssuer;
let server: RunningServer;
let stop: () => Promise<void>;

before(async () => {
  ({ issuer, server, close: stop } = await startServerWithIssuer());
});
after(() => stop());

for (const era of ['legacy', 'modern'] as const) {
  test(`smoke (${era})`, async () => {
    const token = await issuer.sign({ claims: { scope: 'create:todos' } });
    const client = await connectClient(server.mcpUrl, token, era);
    const tools = await client.listTools();
    assert.deepEqual(tools.tools.map((t) => t.name).sort(), [
      'create-todo',
      'delete-todo',
      'get-audit-events',
      'get-todos',
      'update-todo',
      'whoami',
    ]);
    const created = await call(client, 'create-todo', { content: '  buy milk ' });
    assert.equal(created.isError, false);
    assert.equal(created.value.content, 'buy milk');
    const list = await call(client, 'get-todos');
    assert.equal((list.value.todos as unknown[]).length >= 1, true);
    await client.close();
  });
}
