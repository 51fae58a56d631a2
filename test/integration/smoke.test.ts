import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, connectClient, listedToolNames } from '../support/mcp-client.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer();

for (const era of ['legacy', 'modern'] as const) {
  test(`smoke (${era})`, async () => {
    const token = await ctx.issuer.sign({ claims: { scope: 'create:todos' } });
    const client = await connectClient(ctx.server.mcpUrl, token, era);
    const tools = await client.listTools();
    assert.deepEqual(tools.tools.map((t) => t.name).sort(), listedToolNames('create:todos'));
    const created = await call(client, 'create-todo', { content: '  buy milk ' });
    assert.equal(created.isError, false);
    assert.equal(created.value.content, 'buy milk');
    const list = await call(client, 'get-todos');
    assert.equal((list.value.todos as unknown[]).length >= 1, true);
    await client.close();
  });
}
