import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_SCOPES, postMcp, toolCallBody } from '../support/auth-http.js';
import { connectClient, type Era, listedToolNames } from '../support/mcp-client.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer();
const tokenWith = (scope: string) => ctx.issuer.sign({ claims: { sub: 'lister', scope } });

/** A raw 2026-07-28 request, as the SDK client sends it, with its routing headers and envelope. */
function modernBody(method: string, params: Record<string, unknown> = {}) {
  const _meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta } });
}

async function post(body: string, token: string, headers: Record<string, string>) {
  const response = await fetch(ctx.server.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    json: (await response.json()) as never,
  };
}

for (const era of ['legacy', 'modern'] as const satisfies readonly Era[]) {
  describe(`tools/list follows the caller's scopes (${era})`, () => {
    for (const scope of ['', 'create:todos', 'read:todos', ALL_SCOPES]) {
      test(`mcp:tool-list-per-caller a token with "${scope}" sees the tools it can use`, async () => {
        const client = await connectClient(ctx.server.mcpUrl, await tokenWith(scope), era);
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((tool) => tool.name).sort(), listedToolNames(scope));
        await client.close();
      });
    }
  });
}

describe('tools/list and capabilities on the wire', () => {
  test('mcp:tool-list-cache a 2026-07-28 list is private to its authorization, fresh for a minute', async () => {
    const { status, type, json } = await post(modernBody('tools/list'), await tokenWith('create:todos'), {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
    });
    assert.equal(status, 200);
    assert.equal(type, 'application/json');
    const { result } = json as { result: { ttlMs: number; cacheScope: string; resultType: string } };
    assert.deepEqual([result.cacheScope, result.ttlMs, result.resultType], ['private', 60_000, 'complete']);
  });

  test('mcp:honest-capabilities no listChanged is declared, in either era, and every answer is JSON', async () => {
    const token = await tokenWith('');
    const legacy = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
      token,
      { 'mcp-protocol-version': '2025-11-25' },
    );
    assert.equal(legacy.type, 'application/json');
    const legacyTools = (legacy.json as { result: { capabilities: { tools: unknown } } }).result.capabilities
      .tools;
    assert.deepEqual(legacyTools, { listChanged: false });
    const listed = await post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), token, {
      'mcp-protocol-version': '2025-11-25',
    });
    assert.equal(listed.type, 'application/json');
    const discover = await post(modernBody('server/discover'), token, {
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'server/discover',
    });
    assert.equal(discover.type, 'application/json');
    const modernTools = (discover.json as { result: { capabilities: { tools: unknown } } }).result
      .capabilities.tools;
    assert.deepEqual(modernTools, { listChanged: false });
  });

  test('mcp:hidden-tool-step-up a tool left out of the list still answers a call: 403 for a scope the caller can get', async () => {
    const response = await postMcp(ctx.server.mcpUrl, {
      token: await tokenWith(''),
      body: toolCallBody('create-todo', { content: 'from an old list' }),
    });
    assert.equal(response.status, 403);
    assert.match(
      response.headers.get('www-authenticate') ?? '',
      /error="insufficient_scope".*scope="create:todos"/,
    );
  });
});
