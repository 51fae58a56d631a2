import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { listedToolNames } from '../support/mcp-client.js';
import {
  ensurePythonSdk,
  type PythonPlan,
  type PythonStepOutcome,
  runPythonPlan,
} from '../support/python-sdk.js';
import { useServer } from '../support/use-server.js';

const ctx = useServer();
let python = '';

// The first run creates the virtual environment and installs the SDK (about ten seconds from a
// local index); later runs find it in .cache/clients/.
before(
  async () => {
    python = await ensurePythonSdk();
  },
  { timeout: 10 * 60_000 },
);

const idOf = (username: string) => {
  const found = ctx.server.accounts.find((a) => a.user.username === username);
  if (found === undefined) throw new Error(`no first account ${username}`);
  return found.user.id;
};

const plan = (username: string, mode: PythonPlan['mode'], steps: PythonPlan['steps']): PythonPlan => ({
  url: ctx.server.mcpUrl,
  username,
  password: ctx.server.password(username),
  mode,
  steps,
});

/** The structured value of a successful call; fails on a tool error or a protocol error. */
function success(step: PythonStepOutcome | undefined): Record<string, unknown> {
  assert.ok(step !== undefined, 'the step ran');
  assert.equal(step.mcp_error, undefined, `protocol error ${JSON.stringify(step.mcp_error)}`);
  assert.equal(step.is_error, false, `tool error ${step.texts?.join(' ')}`);
  assert.ok(step.structured, 'structuredContent');
  return step.structured;
}

/** The `{ code, message }` of a tool error, as its one text block carries it. */
function toolError(step: PythonStepOutcome | undefined): { code: string; message: string } {
  assert.ok(step !== undefined, 'the step ran');
  assert.equal(step.mcp_error, undefined, `expected a tool error, got ${JSON.stringify(step.mcp_error)}`);
  assert.equal(step.is_error, true);
  assert.equal(step.structured, null, 'an error carries no structuredContent');
  assert.equal(step.texts?.length, 1);
  return (JSON.parse(step.texts?.[0] ?? '{}') as { error: { code: string; message: string } }).error;
}

for (const mode of ['legacy', '2026-07-28'] as const) {
  describe(`Python MCP SDK 2.3.0, mode=${mode}`, { timeout: 120_000 }, () => {
    let userTodoId = '';

    test(`client:python-sdk (${mode}) a user signs in through the SDK's OAuth provider, keeps to their own todos, and reads why another owner's are out of reach`, async () => {
      const report = await runPythonPlan(
        python,
        plan('user', mode, [
          { op: 'list_tools' },
          { op: 'call', tool: 'whoami' },
          { op: 'call', tool: 'create-todo', args: { content: `python ${mode}` } },
          { op: 'call', tool: 'get-todos' },
          { op: 'call', tool: 'get-todos', args: { ownerId: idOf('admin') } },
        ]),
      );
      const [list, whoami, created, own, others] = report.steps;

      assert.equal(report.authorizations.length, 1, 'one sign-in');
      const pages = report.authorizations[0]?.pages ?? [];
      assert.deepEqual(
        pages.map((p) => p.kind),
        ['sign-in', 'consent'],
      );
      assert.ok(pages[1]?.granted?.includes('create:todos'));
      assert.deepEqual(
        pages[1]?.refused,
        ['read:todos', 'delete:todos'],
        'the consent page says what the role lacks',
      );

      assert.deepEqual([...(list?.tools ?? [])].sort(), listedToolNames('create:todos'));
      // Cache hints belong to 2026-07-28 (the SDK's model reads an absent ttlMs as 0 in legacy).
      if (mode === '2026-07-28') {
        assert.equal(list?.ttl_ms, 60_000);
        assert.equal(list?.cache_scope, 'private');
      }
      const me = success(whoami);
      assert.equal(me.subject, idOf('user'));
      assert.deepEqual(me.scopes, ['create:todos']);

      const todo = success(created);
      assert.equal(todo.ownerId, idOf('user'));
      userTodoId = String(todo.id);
      const ids = (success(own).todos as { id: string }[]).map((t) => t.id);
      assert.ok(ids.includes(userTodoId));

      const refusal = toolError(others);
      assert.equal(refusal.code, 'insufficient_scope');
      assert.match(refusal.message, /read:todos/);
      assert.match(refusal.message, /role user/);
      assert.equal(report.authorizations.length, 1, 'the refusal sent no one to sign in again');
    });

    test(`client:python-sdk (${mode}) an admin sees every tool and everyone's todos, and deletes another owner's`, async () => {
      assert.ok(userTodoId !== '', 'the user test ran first');
      const report = await runPythonPlan(
        python,
        plan('admin', mode, [
          { op: 'list_tools' },
          { op: 'call', tool: 'get-todos' },
          { op: 'call', tool: 'get-todos', args: { ownerId: idOf('user') } },
          { op: 'call', tool: 'delete-todo', args: { id: userTodoId } },
          { op: 'call', tool: 'delete-todo', args: { id: userTodoId } },
        ]),
      );
      const [list, everyone, theUsers, deleted, again] = report.steps;
      assert.equal(report.authorizations.length, 1);
      assert.deepEqual(report.authorizations[0]?.pages.at(-1)?.refused, [], 'an admin is refused nothing');
      assert.deepEqual(
        [...(list?.tools ?? [])].sort(),
        listedToolNames('create:todos read:todos delete:todos'),
      );

      const all = (success(everyone).todos as { id: string }[]).map((t) => t.id);
      assert.ok(all.includes(userTodoId), "the admin sees the user's todo");
      const owners = (success(theUsers).todos as { ownerId: string }[]).map((t) => t.ownerId);
      assert.ok(owners.length > 0 && owners.every((owner) => owner === idOf('user')), 'ownerId filters');

      const gone = success(deleted);
      assert.equal(gone.id, userTodoId);
      assert.equal(gone.ownerId, idOf('user'));
      assert.equal(toolError(again).code, 'not_found');
    });

    test(`client:python-sdk-refresh (${mode}) an expired access token is refreshed by the SDK with its refresh token, without a sign-in`, async () => {
      const report = await runPythonPlan(
        python,
        plan('user', mode, [
          { op: 'call', tool: 'whoami' },
          { op: 'expire_tokens' },
          { op: 'call', tool: 'whoami' },
          { op: 'call', tool: 'create-todo', args: { content: 'after the refresh' } },
        ]),
      );
      const [first, , second, created] = report.steps;
      assert.equal(report.authorizations.length, 1, 'signed in once');
      assert.match(report.authorizations[0]?.scope ?? '', /\boffline_access\b/, 'asked for a refresh token');
      assert.deepEqual(
        report.token_requests.map((r) => r.grant_type),
        ['authorization_code', 'refresh_token'],
        'the code was exchanged once, then the refresh token was used',
      );
      assert.notEqual(second?.token, first?.token, 'a new access token');
      assert.equal(success(second).subject, idOf('user'));
      assert.deepEqual(success(second).scopes, ['create:todos'], 'the refresh keeps the scope');
      assert.equal(success(created).content, 'after the refresh');
    });
  });
}
