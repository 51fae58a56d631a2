import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { openStorage } from '../../src/storage/open-storage.js';
import { parseChallenge, postMcp, toolCallBody } from '../support/auth-http.js';
import { runCli } from '../support/cli.js';
import { connectClient, type Era } from '../support/mcp-client.js';
import { callRaw, expectStepUp, expectSuccess } from '../support/tool-result.js';
import { useServerWithIssuer } from '../support/use-server.js';

interface Event {
  id: number;
  action: string;
  actor: string;
  clientId: string;
  todoId?: string;
  ownerId?: string;
  isAdminAction: boolean;
  outcome: string;
  tool?: string;
  scope?: string;
}

const ALL = 'create:todos read:todos delete:todos';
const SECRET = 'AUDIT-SECRET-CONTENT-91c2';

const ctx = useServerWithIssuer();

const token = (sub: string, scope: string | undefined, clientId: string) =>
  ctx.issuer.sign({ claims: { sub, scope, client_id: clientId } });

for (const era of ['legacy', 'modern'] as const satisfies readonly Era[]) {
  describe(`audit trail over HTTP (${era})`, () => {
    const who = { admin: `ada-${era}`, user: `uma-${era}`, none: `nox-${era}` };
    const clients: Client[] = [];
    let admin: Client;
    let user: Client;
    let none: Client;

    before(async () => {
      const connect = async (sub: string, scope: string | undefined, clientId: string) => {
        const client = await connectClient(ctx.server.mcpUrl, await token(sub, scope, clientId), era);
        clients.push(client);
        return client;
      };
      admin = await connect(who.admin, ALL, 'admin-console');
      user = await connect(who.user, 'create:todos', 'user-app');
      none = await connect(who.none, undefined, 'bare-app');
    });
    after(async () => {
      for (const client of clients) await client.close();
    });

    const events = async (args: Record<string, unknown> = {}) =>
      expectSuccess(await callRaw(admin, 'get-audit-events', { limit: 200, ...args })) as {
        events: Event[];
        nextCursor?: string;
      };

    test('audit:tool-step-up get-audit-events without read:todos is a 403 step-up, recorded as denied', async () => {
      await expectStepUp(callRaw(user, 'get-audit-events', {}), 'read:todos');
      const [latest] = (await events({ actor: who.user })).events;
      assert.deepEqual(
        latest && [latest.action, latest.outcome, latest.tool, latest.scope, latest.clientId],
        ['denied', 'denied', 'get-audit-events', 'read:todos', 'user-app'],
      );
    });

    test('audit:denied-create a create-todo refused for want of create:todos appears as denied', async () => {
      await expectStepUp(callRaw(none, 'create-todo', { content: SECRET }), 'create:todos');
      const mine = (await events({ actor: who.none })).events;
      assert.equal(mine.length, 1);
      assert.deepEqual(
        mine.map((e) => [e.action, e.outcome, e.tool, e.scope, e.clientId, e.todoId]),
        [['denied', 'denied', 'create-todo', 'create:todos', 'bare-app', undefined]],
      );
    });

    test("audit:tool-lists-changes an admin reads every change, its own action on another's todo marked", async () => {
      const todo = expectSuccess(await callRaw(user, 'create-todo', { content: SECRET })) as { id: string };
      expectSuccess(await callRaw(user, 'update-todo', { id: todo.id, done: true }));
      expectSuccess(await callRaw(admin, 'delete-todo', { id: todo.id }));
      assert.equal((await callRaw(admin, 'delete-todo', { id: todo.id })).isError, true);

      const page = await events();
      const about = page.events.filter((e) => e.todoId === todo.id);
      assert.deepEqual(
        about.map((e) => [e.action, e.actor, e.clientId, e.ownerId, e.isAdminAction, e.outcome]),
        [
          ['delete', who.admin, 'admin-console', undefined, false, 'not_found'],
          ['delete', who.admin, 'admin-console', who.user, true, 'ok'],
          ['update', who.user, 'user-app', who.user, false, 'ok'],
          ['create', who.user, 'user-app', who.user, false, 'ok'],
        ],
      );
      assert.ok(!JSON.stringify(page).includes(SECRET), 'no todo content in the trail');
    });

    test('audit:tool-pages the tool pages with nextCursor and filters by actor', async () => {
      const first = await events({ actor: who.user, limit: 1 });
      assert.equal(first.events.length, 1);
      assert.ok(first.nextCursor);
      const second = await events({ actor: who.user, limit: 1, cursor: first.nextCursor });
      assert.equal(second.events.length, 1);
      assert.ok((second.events[0]?.id ?? 0) < (first.events[0]?.id ?? 0));
      for (const e of [...first.events, ...second.events]) assert.equal(e.actor, who.user);
    });
  });
}

test('audit:http-403 the refusal is HTTP 403 insufficient_scope naming read:todos', async () => {
  const response = await postMcp(ctx.server.mcpUrl, {
    token: await token('raw-user', 'create:todos', 'raw-app'),
    body: toolCallBody('get-audit-events', {}),
  });
  assert.equal(response.status, 403);
  const challenge = parseChallenge(response.headers.get('www-authenticate'));
  assert.equal(challenge.params.error, 'insufficient_scope');
  assert.equal(challenge.params.scope, 'read:todos');
});

test('audit:denied-sdk-path a refused step-up on the SDK path is recorded as on the direct path', async () => {
  // A batch is never answered directly: the SDK answers it, after the endpoint's step-up decision.
  const body = `[${toolCallBody('create-todo', { content: 'x' })}]`;
  const response = await postMcp(ctx.server.mcpUrl, { token: await token('sdk-user', '', 'sdk-app'), body });
  assert.equal(response.status, 403);
  const storage = await openStorage(ctx.server.databaseUrl);
  try {
    const recorded = await storage.audit.list({ limit: 10, actor: 'sdk-user' });
    assert.deepEqual(
      recorded.map((e) => [e.action, e.actor, e.clientId, e.tool, e.scope, e.outcome]),
      [['denied', 'sdk-user', 'sdk-app', 'create-todo', 'create:todos', 'denied']],
    );
  } finally {
    await storage.close();
  }
});

describe('audit CLI', () => {
  test('audit:cli-tail "audit tail" prints the newest events, oldest of them first, without content', async () => {
    const result = await runCli(['audit', 'tail', '--limit', '5', '--database-url', ctx.server.databaseUrl]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5);
    const ids = lines.map((line) => Number(/ #(\d+) /.exec(line)?.[1]));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.ok(!result.stdout.includes(SECRET));

    const all = await runCli(['audit', 'tail', '--limit', '200', '--database-url', ctx.server.databaseUrl]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.trimEnd().split('\n').slice(-5), lines, 'the newest five end the full tail');
    assert.match(
      all.stdout,
      /^\S+ #\d+ denied denied actor=nox-legacy client=bare-app tool=create-todo scope=create:todos$/m,
    );
    assert.match(
      all.stdout,
      / delete ok actor=ada-modern client=admin-console todo=\S+ owner=uma-modern admin-action$/m,
    );
  });

  test('audit:cli-actor "audit tail --actor" shows only that subject', async () => {
    const result = await runCli([
      'audit',
      'tail',
      '--actor',
      'uma-legacy',
      '--database-url',
      ctx.server.databaseUrl,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.ok(lines.length >= 3);
    for (const line of lines) assert.match(line, / actor=uma-legacy /);
  });

  test('audit:cli-usage "audit --help" explains the command; bad input fails', async () => {
    const help = await runCli(['audit', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /audit tail/);
    assert.equal(
      (await runCli(['audit', 'tail', '--limit', '0', '--database-url', ctx.server.databaseUrl])).code,
      1,
    );
    assert.equal((await runCli(['audit', 'rewrite', '--database-url', ctx.server.databaseUrl])).code, 1);
    assert.equal((await runCli(['audit'])).code, 1);
  });
});
