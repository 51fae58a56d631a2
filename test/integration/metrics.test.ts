import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { postMcp, toolCallBody } from '../support/auth-http.js';
import { call, connectClient } from '../support/mcp-client.js';
import { useServerWithIssuer } from '../support/use-server.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';
const ctx = useServerWithIssuer({ METRICS_TOKEN });
const scrape = (url: string, token = METRICS_TOKEN) =>
  fetch(url, { headers: { authorization: `Bearer ${token}` } });

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

  const response = await scrape(`${ctx.server.origin}/metrics`);
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

test('ops:metrics-private with METRICS_TOKEN, /metrics on the public listener answers only the token', async () => {
  for (const authorization of [
    undefined,
    'Bearer wrong-token',
    `Basic ${METRICS_TOKEN}`,
    `Bearer ${METRICS_TOKEN}x`,
  ]) {
    const response = await fetch(`${ctx.server.origin}/metrics`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    assert.equal(response.status, 401, String(authorization));
    assert.doesNotMatch(await response.text(), /mcp_tool_calls_total/);
  }
  assert.equal((await scrape(`${ctx.server.origin}/metrics`)).status, 200);
});

describe('metrics by default', () => {
  const plain = useServerWithIssuer();

  test('ops:metrics-private without METRICS_PORT or METRICS_TOKEN, the public listener does not serve /metrics', async () => {
    const response = await fetch(`${plain.server.origin}/metrics`);
    assert.equal(response.status, 404);
    assert.doesNotMatch(await response.text(), /process_resident_memory_bytes/);
    assert.equal(plain.server.app.metricsAddress, undefined, 'no other listener either');
  });
});

describe('metrics on a listener of their own', () => {
  const own = useServerWithIssuer({ METRICS_PORT: '0' });

  test('ops:metrics-private METRICS_PORT serves /metrics on loopback, and only there', async () => {
    const address = own.server.app.metricsAddress;
    assert.ok(address, 'a metrics listener is bound');
    assert.equal(address.address, '127.0.0.1');
    assert.notEqual(address.port, own.server.app.address.port);
    const metrics = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^process_resident_memory_bytes \d+/m);
    assert.equal((await fetch(`http://127.0.0.1:${address.port}/mcp`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${own.server.origin}/metrics`)).status, 404, 'not on the public listener');
  });
});
