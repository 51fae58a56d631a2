import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postMcp, toolCallBody } from '../support/auth-http.js';
import { call, connectClient } from '../support/mcp-client.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer();

/** The value of one sample line, e.g. `name{a="b"} 3`. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('ops:metrics /metrics counts tool calls by outcome, auth failures by reason, and latency by route', async () => {
  const token = await ctx.issuer.sign({ claims: { sub: 'metrics-user', scope: 'create:todos' } });
  const client = await connectClient(ctx.server.mcpUrl, token, 'modern');
  await call(client, 'create-todo', { content: 'counted' });
  await call(client, 'create-todo', { content: '   ' });
  await client.close();
  const denied = await ctx.issuer.sign({ claims: { sub: 'metrics-user', scope: '' } });
  assert.equal(
    (await postMcp(ctx.server.mcpUrl, { token: denied, body: toolCallBody('create-todo', { content: 'x' }) }))
      .status,
    403,
  );
  assert.equal((await postMcp(ctx.server.mcpUrl, {})).status, 401);
  const expired = await ctx.issuer.sign({ claims: { exp: Math.floor(Date.now() / 1000) - 600 } });
  assert.equal((await postMcp(ctx.server.mcpUrl, { token: expired })).status, 401);

  const response = await fetch(`${ctx.server.origin}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await response.text();
  assert.equal(sample(text, 'mcp_tool_calls_total', 'tool="create-todo",outcome="ok"'), 1);
  assert.equal(sample(text, 'mcp_tool_calls_total', 'tool="create-todo",outcome="tool_error"'), 1);
  assert.equal(sample(text, 'mcp_tool_calls_total', 'tool="create-todo",outcome="denied"'), 1);
  assert.equal(sample(text, 'auth_failures_total', 'reason="missing"'), 1);
  assert.equal(sample(text, 'auth_failures_total', 'reason="expired"'), 1);
  assert.ok(sample(text, 'http_request_duration_seconds_count', 'route="mcp",status="200"') >= 2);
  assert.match(text, /^process_resident_memory_bytes \d+/m);
  assert.doesNotMatch(text, /metrics-user/, 'no subject appears in a label');
});
