import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMcpHandler, type McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { Principal } from '../../src/auth/principal.js';
import { silentLogger } from '../../src/log.js';
import { actorOf, toAuthInfo } from '../../src/mcp/auth-context.js';
import { createMcpServerFactory, SERVER_INFO } from '../../src/mcp/create-mcp-server.js';
import { createDirectToolCall } from '../../src/mcp/endpoint/direct-tool-call.js';
import { createDirectToolList } from '../../src/mcp/endpoint/direct-tool-list.js';
import { createSdkHandler } from '../../src/mcp/endpoint/sdk-handler.js';
import { findStepUp, stepUpAnswer } from '../../src/mcp/endpoint/step-up.js';
import { toolCallsOf } from '../../src/mcp/endpoint/tool-calls.js';
import { TOOLS } from '../../src/mcp/tool-catalog.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { createAuditTrail } from '../../src/todos/audit-trail.js';
import { createTodoService } from '../../src/todos/todo-service.js';

const RESOURCE = 'http://localhost:3001/mcp';
const META_URL = 'http://localhost:3001/.well-known/oauth-protected-resource/mcp';

/** Two identical worlds (store, fixed clock, counting ids): one answered by the SDK, one directly. */
async function world() {
  const storage = await openStorage(':memory:');
  let n = 0;
  const clock = () => new Date('2026-11-26T12:00:00.000Z');
  const todos = createTodoService({
    store: storage.todos,
    clock,
    newId: () => {
      n += 1;
      return `todo-id-${String(n).padStart(14, '0')}`;
    },
  });
  const deps = { todos, log: silentLogger, audit: createAuditTrail({ log: storage.audit, clock }) };
  const sdk = createSdkHandler(createMcpServerFactory(deps), silentLogger);
  return { storage, deps, sdk, direct: createDirectToolCall(deps), directList: createDirectToolList(sdk) };
}

/**
 * The SDK's own step-up: every tool registered with a `scopeChallenge` that asks the same
 * question as our endpoint, so the 403 it builds is the reference for ours.
 */
const sdkStepUps = createMcpHandler(() => {
  const server = new McpServer(SERVER_INFO);
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        inputSchema: z.object({}).passthrough(),
        scopeChallenge: ({ request, authInfo }) => {
          const principal = authInfo?.extra?.principal as Principal;
          const needed = tool.stepUp?.(actorOf(principal), request.params?.arguments);
          return needed && { scopes: [needed.scope], errorDescription: needed.description };
        },
      },
      () => ({ content: [] }),
    );
  }
  return server;
});

let viaSdk: Awaited<ReturnType<typeof world>>;
let viaDirect: Awaited<ReturnType<typeof world>>;

before(async () => {
  viaSdk = await world();
  viaDirect = await world();
});
after(async () => {
  await viaSdk.storage.close();
  await viaDirect.storage.close();
});

const principal = (scope: string): Principal => ({
  subject: 'alice',
  clientId: 'client-1',
  scopes: scope.split(' ').filter(Boolean),
  issuer: 'http://issuer.example',
  expiresAt: 1_900_000_000,
});

type Era = 'legacy' | 'modern';

function request(era: Era, name: string, args: unknown, extraHeaders: Record<string, string> = {}) {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const headers: Record<string, string> =
    era === 'modern'
      ? { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name }
      : { 'mcp-protocol-version': '2025-11-25' };
  const all: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...headers,
    ...extraHeaders,
  };
  return {
    // An empty value in extraHeaders removes that header.
    headers: Object.fromEntries(Object.entries(all).filter(([, value]) => value !== '')),
    body: {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name,
        ...(args !== undefined && { arguments: args }),
        ...(era === 'modern' && { _meta: meta }),
      },
    },
  };
}

/** A call as both paths receive it: the request, and the verified token of a caller with `scope`. */
function callOf(era: Era, name: string, args: unknown, scope: string, extra?: Record<string, string>) {
  return { ...request(era, name, args, extra), authInfo: toAuthInfo(principal(scope), RESOURCE, META_URL) };
}

/** The SDK's answer as JSON (a legacy answer arrives as one server-sent event). */
async function sdkAnswer(
  era: Era,
  name: string,
  args: unknown,
  scope: string,
  extra?: Record<string, string>,
  handler: Pick<McpHttpHandler, 'fetch'> = viaSdk.sdk,
) {
  const { headers, body, authInfo } = callOf(era, name, args, scope, extra);
  const response = await handler.fetch(
    new Request(RESOURCE, { method: 'POST', headers, body: JSON.stringify(body) }),
    { authInfo },
  );
  const text = await response.text();
  const data = text.startsWith('event:') ? (/^data: (.*)$/m.exec(text)?.[1] ?? '') : text;
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate') ?? undefined,
    json: JSON.parse(data) as unknown,
  };
}

/** The endpoint's step-up answer for a call, decided before either path runs. */
async function stepUpResponse(era: Era, name: string, args: unknown, scope: string) {
  const { body } = request(era, name, args);
  const needed = await findStepUp(toolCallsOf(body), principal(scope), viaDirect.deps);
  return needed && stepUpAnswer(needed, META_URL, principal(scope));
}

/** The direct path's answer as JSON, or `undefined` when it leaves the call to the SDK. */
async function directAnswer(
  era: Era,
  name: string,
  args: unknown,
  scope: string,
  extra?: Record<string, string>,
) {
  const { headers, body, authInfo } = callOf(era, name, args, scope, extra);
  const answer = await viaDirect.direct({ headers, message: body, authInfo });
  return answer && (JSON.parse(answer.body) as unknown);
}

const ADMIN = 'create:todos read:todos delete:todos';
const CASES: [string, string, unknown, string][] = [
  ['whoami', 'whoami', {}, ''],
  ['whoami without arguments', 'whoami', undefined, 'create:todos'],
  ['create-todo', 'create-todo', { content: '  buy milk  ' }, 'create:todos'],
  ['create-todo with empty content', 'create-todo', { content: '   ' }, 'create:todos'],
  ['create-todo with a wrong type', 'create-todo', { content: 42 }, ADMIN],
  [
    'create-todo with an idempotencyKey',
    'create-todo',
    { content: 'bread', idempotencyKey: 'k-1' },
    'create:todos',
  ],
  [
    'create-todo with an empty idempotencyKey',
    'create-todo',
    { content: 'bread', idempotencyKey: '' },
    ADMIN,
  ],
  [
    'create-todo with a long idempotencyKey',
    'create-todo',
    { content: 'x', idempotencyKey: 'k'.repeat(129) },
    ADMIN,
  ],
  ['get-todos', 'get-todos', {}, ''],
  ['get-todos with filters', 'get-todos', { limit: 1, done: false, query: 'MILK' }, ADMIN],
  ['get-todos with a bad limit', 'get-todos', { limit: 0 }, ''],
  ['get-todos with a bad cursor', 'get-todos', { cursor: 'nope' }, ''],
  ['update-todo', 'update-todo', { id: 'todo-id-00000000000001', done: true }, ''],
  ['update-todo of a missing todo', 'update-todo', { id: 'todo-id-00000000009999', done: true }, ''],
  ['delete-todo', 'delete-todo', { id: 'todo-id-00000000000001' }, ''],
  ['delete-todo again', 'delete-todo', { id: 'todo-id-00000000000001' }, ''],
];

for (const era of ['legacy', 'modern'] as const) {
  describe(`direct tools/call answers exactly as the SDK does (${era})`, () => {
    for (const [label, name, args, scope] of CASES) {
      test(label, async () => {
        const sdk = await sdkAnswer(era, name, args, scope);
        const direct = await directAnswer(era, name, args, scope);
        assert.equal(sdk.status, 200);
        assert.notEqual(direct, undefined, 'the direct path answered this everyday call');
        assert.deepEqual(direct, sdk.json);
      });
    }
  });

  describe(`step-up challenges match the SDK's byte for byte (${era})`, () => {
    for (const [name, args, scope] of [
      ['create-todo', { content: 'x' }, ''],
      ['get-todos', { ownerId: 'bob' }, 'create:todos'],
    ] as const) {
      test(`${name} needing a scope`, async () => {
        const sdk = await sdkAnswer(era, name, args, scope, undefined, sdkStepUps);
        const direct = await stepUpResponse(era, name, args, scope);
        assert.equal(sdk.status, 403);
        assert.equal(direct?.status, 403);
        assert.equal(direct?.headers['www-authenticate'], sdk.challenge);
        assert.deepEqual(JSON.parse(direct?.body ?? ''), sdk.json);
      });
    }
  });

  describe(`anything unusual goes to the SDK (${era})`, () => {
    test('an unknown tool', async () => {
      assert.equal(await directAnswer(era, 'no-such-tool', {}, ADMIN), undefined);
    });
    test('arguments that are not an object', async () => {
      assert.equal(await directAnswer(era, 'whoami', [1, 2], ADMIN), undefined);
    });
    test('an unknown protocol version', async () => {
      assert.equal(
        await directAnswer(era, 'whoami', {}, ADMIN, { 'mcp-protocol-version': '2024-11-05' }),
        undefined,
      );
    });
  });
}

test('modern calls whose headers disagree with the body go to the SDK', async () => {
  assert.equal(await directAnswer('modern', 'whoami', {}, ADMIN, { 'mcp-name': 'get-todos' }), undefined);
  assert.equal(await directAnswer('modern', 'whoami', {}, ADMIN, { 'mcp-method': 'tools/list' }), undefined);
});

test('a call without MCP-Protocol-Version is answered as the SDK answers it (2025-03-26)', async () => {
  const without = { 'mcp-protocol-version': '' };
  const sdk = await sdkAnswer('legacy', 'whoami', {}, ADMIN, without);
  const direct = await directAnswer('legacy', 'whoami', {}, ADMIN, without);
  assert.notEqual(direct, undefined);
  assert.deepEqual(direct, sdk.json);
});

test('legacy calls that do not accept both JSON and event streams go to the SDK', async () => {
  assert.equal(await directAnswer('legacy', 'whoami', {}, ADMIN, { accept: 'application/json' }), undefined);
});

test('batches and other methods go to the SDK', async () => {
  const { headers, body, authInfo } = callOf('legacy', 'whoami', {}, ADMIN);
  assert.equal(await viaDirect.direct({ headers, message: [body], authInfo }), undefined);
  assert.equal(
    await viaDirect.direct({ headers, message: { ...body, method: 'tools/list' }, authInfo }),
    undefined,
  );
  assert.equal(await viaDirect.direct({ headers, message: { ...body, id: null }, authInfo }), undefined);
});

/** A tools/list as an everyday client sends it in either era, with its id. */
function listRequest(era: Era, id: number | string, scope: string) {
  const { headers, authInfo } = callOf(era, 'whoami', {}, scope);
  const modernHeaders = { ...headers, 'mcp-method': 'tools/list' };
  delete (modernHeaders as Record<string, string>)['mcp-name'];
  const meta = request('modern', 'whoami', {}).body.params._meta;
  return {
    headers: era === 'modern' ? modernHeaders : headers,
    message: {
      jsonrpc: '2.0',
      id,
      method: 'tools/list',
      ...(era === 'modern' && { params: { _meta: meta } }),
    },
    authInfo,
  };
}

for (const era of ['legacy', 'modern'] as const) {
  describe(`direct tools/list answers exactly as the SDK does, per caller (${era})`, () => {
    for (const scope of ['', 'create:todos', 'read:todos', ADMIN]) {
      test(`a token with scopes "${scope}"`, async () => {
        for (const id of [3, 'list-4']) {
          const call = listRequest(era, id, scope);
          const response = await viaSdk.sdk.fetch(
            new Request(RESOURCE, {
              method: 'POST',
              headers: call.headers,
              body: JSON.stringify(call.message),
            }),
            { authInfo: call.authInfo },
          );
          assert.equal(response.headers.get('content-type'), 'application/json');
          const direct = await viaDirect.directList(call);
          assert.notEqual(direct, undefined, 'the direct path answered this everyday list');
          assert.deepEqual(JSON.parse(direct?.body ?? ''), await response.json());
        }
      });
    }

    test('a cursor, a batch or unusual headers go to the SDK', async () => {
      const call = listRequest(era, 1, ADMIN);
      const withCursor = { ...call.message, params: { ...(call.message.params ?? {}), cursor: 'x' } };
      assert.equal(await viaDirect.directList({ ...call, message: withCursor }), undefined);
      assert.equal(await viaDirect.directList({ ...call, message: [call.message] }), undefined);
      const odd = { ...call.headers, 'mcp-protocol-version': '2024-11-05' };
      assert.equal(await viaDirect.directList({ ...call, headers: odd }), undefined);
    });
  });
}
