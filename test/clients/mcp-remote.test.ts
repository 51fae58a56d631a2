import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listedToolNames } from '../support/mcp-client.js';
import { type JsonRpcResponse, type McpRemote, startMcpRemote } from '../support/mcp-remote.js';
import { signIn } from '../support/oauth-client.js';
import { useServer } from '../support/use-server.js';

const ctx = useServer();

const account = (username: string) => {
  const found = ctx.server.accounts.find((a) => a.user.username === username);
  if (found === undefined) throw new Error(`no bootstrap account ${username}`);
  return { id: found.user.id, password: found.password };
};

/** The `result` of a JSON-RPC response, failing the test on a JSON-RPC error. */
function resultOf(response: JsonRpcResponse): Record<string, unknown> {
  assert.equal(response.error, undefined, `JSON-RPC error ${JSON.stringify(response.error)}`);
  assert.ok(response.result !== undefined, 'the response carries a result');
  return response.result;
}

/** Calls a tool over the bridge's stdio and returns its structured content, failing on a tool error. */
async function callTool(remote: McpRemote, name: string, args: Record<string, unknown> = {}) {
  const result = resultOf(await remote.request('tools/call', { name, arguments: args }));
  assert.notEqual(result.isError, true, `${name} failed: ${JSON.stringify(result.content)}`);
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  assert.ok(structured !== undefined, `${name} returns structuredContent`);
  return structured;
}

/**
 * The whole desktop-client path: mcp-remote meets the 401, discovers, registers and prints the
 * authorization URL; a person signs in there and the browser lands on mcp-remote's own callback;
 * then the host speaks plain MCP over stdio and mcp-remote carries it over HTTP with the token.
 */
async function signInThroughMcpRemote(username: string): Promise<McpRemote> {
  const remote = await startMcpRemote(ctx.server.mcpUrl);
  try {
    const url = await remote.authorizationUrl();
    assert.equal(url.origin, ctx.server.origin, 'the URL points at the embedded authorization server');
    assert.equal(url.searchParams.get('resource'), ctx.server.mcpUrl, 'RFC 8707 resource indicator');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('redirect_uri'), remote.redirectUrl);

    const { callback, pages } = await signIn(url, username, account(username).password, remote.redirectUrl);
    assert.ok(callback !== undefined, `sign-in refused (HTTP ${pages.at(-1)?.status})`);
    assert.equal(callback.get('error'), null);
    assert.equal(callback.get('iss'), ctx.server.origin, 'RFC 9207 iss on the redirect');

    // Where the browser would have gone: mcp-remote's callback server, which exchanges the code.
    const landing = await remote.deliverCallback(callback);
    assert.equal(landing.status, 200);
    await landing.body?.cancel();
    await remote.established();
    return remote;
  } catch (error) {
    await remote.close();
    throw error;
  }
}

async function initialize(remote: McpRemote, scope: string) {
  const init = resultOf(
    await remote.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'todo-manager-desktop-host-test', version: '1.0.0' },
    }),
  );
  assert.equal(init.protocolVersion, '2025-11-25');
  assert.ok((init.capabilities as { tools?: unknown } | undefined)?.tools !== undefined, 'tools capability');
  remote.notify('notifications/initialized');

  const list = resultOf(await remote.request('tools/list'));
  const names = (list.tools as { name: string }[]).map((tool) => tool.name).sort();
  assert.deepEqual(names, listedToolNames(scope));
}

describe('mcp-remote (stdio ↔ HTTP bridge of desktop clients)', { timeout: 60_000 }, () => {
  let userTodoId = '';

  test('client:mcp-remote a user signs in through the printed URL and gets only create:todos', async (t) => {
    const remote = await signInThroughMcpRemote('user');
    t.after(() => remote.close());
    await initialize(remote, 'create:todos');

    const me = await callTool(remote, 'whoami');
    assert.equal(me.subject, account('user').id);
    assert.equal(me.issuer, ctx.server.origin);
    assert.deepEqual(me.scopes, ['create:todos']);

    const todo = await callTool(remote, 'create-todo', { content: 'written through mcp-remote' });
    assert.equal(todo.ownerId, account('user').id);
    assert.equal(todo.content, 'written through mcp-remote');
    assert.equal(todo.done, false);
    userTodoId = String(todo.id);

    // The registration and tokens went to the folder it was given, not to ~/.mcp-auth.
    const store = join(remote.configDir, 'mcp-remote-v1');
    const files = await readdir(store);
    const tokensFile = files.find((f) => f.endsWith('_tokens.json'));
    assert.ok(tokensFile !== undefined, `tokens stored in ${store}: ${files.join(', ')}`);
    const clientFile = files.find((f) => f.endsWith('_client_info.json'));
    assert.ok(clientFile !== undefined, 'the dynamic registration is stored too');
    const client = JSON.parse(await readFile(join(store, clientFile), 'utf8')) as { client_id?: unknown };
    assert.equal(me.clientId, client.client_id, 'the token was issued to the client mcp-remote registered');
  });

  test('client:mcp-remote an admin signs in through the printed URL and gets every scope', async (t) => {
    const remote = await signInThroughMcpRemote('admin');
    t.after(() => remote.close());
    await initialize(remote, 'create:todos read:todos delete:todos');

    const me = await callTool(remote, 'whoami');
    assert.equal(me.subject, account('admin').id);
    assert.deepEqual([...(me.scopes as string[])].sort(), ['create:todos', 'delete:todos', 'read:todos']);

    const todo = await callTool(remote, 'create-todo', { content: 'an admin note via mcp-remote' });
    assert.equal(todo.ownerId, account('admin').id);

    // read:todos reaches every owner's todos, so the user's todo from the first sign-in is listed.
    const listed = await callTool(remote, 'get-todos');
    const ids = (listed.todos as { id: string }[]).map((t) => t.id);
    assert.ok(userTodoId !== '', 'the user test ran first');
    assert.ok(ids.includes(userTodoId), "the admin sees the user's todo");
    assert.ok(ids.includes(String(todo.id)), 'and its own');
  });
});
