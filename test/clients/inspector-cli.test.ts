import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureInspector, type Inspector, inspectorOAuthEnv, runInspectorCli } from '../support/inspector.js';
import { type Era, listedToolNames } from '../support/mcp-client.js';
import { CookieJar, connectWithOAuth, signIn } from '../support/oauth-client.js';
import type { ProcessResult } from '../support/run-process.js';
import { scopedToken } from '../support/scoped-token.js';
import { freePort } from '../support/start-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { fillToQuota } from '../support/todo-seed.js';
import { useServer } from '../support/use-server.js';
import { startWatched, type WatchedProcess } from '../support/watched-process.js';

const ctx = useServer();
const home = useTempDir('inspector-cli-');
let inspector: Inspector;
const tokens = { user: '', admin: '', adminWithoutRead: '' };

const idOf = (username: string) => {
  const found = ctx.server.accounts.find((a) => a.user.username === username);
  if (found === undefined) throw new Error(`no first account ${username}`);
  return found.user.id;
};

before(
  async () => {
    await ctx.ready;
    // The first run installs the Inspector and a Node 22 to run it into .cache/clients/.
    inspector = await ensureInspector();
    const { mcpUrl, origin } = ctx.server;
    for (const username of ['user', 'admin'] as const) {
      const { client, oauth } = await connectWithOAuth(mcpUrl, username, ctx.server.password(username));
      await client.close();
      tokens[username] = oauth.tokens()?.access_token ?? '';
    }
    // An admin who signed in for create:todos alone could still be granted read:todos: a step-up.
    tokens.adminWithoutRead = await scopedToken(
      origin,
      mcpUrl,
      'admin',
      ctx.server.password('admin'),
      'create:todos',
    );
    // The admin's list is full, so an admin's create is over quota.
    await fillToQuota(ctx.server.databaseUrl, idOf('admin'));
  },
  { timeout: 10 * 60_000 },
);

/** `mcp-inspector --cli <url> --transport http --header "Authorization: Bearer …"`, one JSON object out. */
function cli(token: string, era: Era, args: readonly string[]): Promise<ProcessResult> {
  return runInspectorCli(inspector, home(), [
    ctx.server.mcpUrl,
    '--transport',
    'http',
    '--header',
    `Authorization: Bearer ${token}`,
    '--protocol-era',
    era,
    '--format',
    'json',
    ...args,
  ]);
}

const call = (tool: string, args: Record<string, unknown> = {}) => [
  '--method',
  'tools/call',
  '--tool-name',
  tool,
  '--tool-args-json',
  JSON.stringify(args),
];

interface PrintedResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content?: { type: string; text?: string }[];
  tools?: { name: string }[];
}

function printed(run: ProcessResult): PrintedResult {
  return (JSON.parse(run.stdout) as { result: PrintedResult }).result;
}

/** What a successful run printed: exit 0 and the structured result. */
function succeeded(run: ProcessResult): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  const result = printed(run);
  assert.notEqual(result.isError, true);
  assert.ok(result.structuredContent, 'structuredContent');
  return result.structuredContent;
}

/**
 * A tool error as the Inspector shows it: exit 5 ("the tool returned isError"), the result printed
 * with the code and message in its text, and no complaint about the output schema.
 */
function printedToolError(run: ProcessResult, code: string): { code: string; message: string } {
  assert.equal(run.code, 5, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /data must|output schema|structured content|-32602/i);
  assert.match(run.stderr, /"code":"tool_is_error"/);
  const result = printed(run);
  assert.equal(result.isError, true);
  assert.equal(result.structuredContent, undefined);
  const error = (
    JSON.parse(result.content?.[0]?.text ?? '{}') as { error: { code: string; message: string } }
  ).error;
  assert.equal(error.code, code);
  assert.ok(error.message.length > 0);
  return error;
}

const listed = (run: ProcessResult) => {
  assert.equal(run.code, 0, run.stderr);
  return (printed(run).tools ?? []).map((t) => t.name).sort();
};

for (const era of ['legacy', 'modern'] as const) {
  describe(`MCP Inspector 2.12 CLI with a bearer token, --protocol-era ${era}`, { timeout: 120_000 }, () => {
    test(`client:inspector-cli (${era}) tools/list shows each caller the tools its token can use`, async () => {
      const [user, admin, adminWithoutRead] = await Promise.all(
        [tokens.user, tokens.admin, tokens.adminWithoutRead].map((token) =>
          cli(token, era, ['--method', 'tools/list']),
        ),
      );
      assert.deepEqual(listed(user as ProcessResult), listedToolNames('create:todos'));
      assert.deepEqual(
        listed(admin as ProcessResult),
        listedToolNames('create:todos read:todos delete:todos'),
      );
      assert.deepEqual(listed(adminWithoutRead as ProcessResult), listedToolNames('create:todos'));
    });

    test(`client:inspector-cli (${era}) a user creates and lists their own todos; an admin lists everyone's and deletes another's`, async () => {
      const created = succeeded(
        await cli(tokens.user, era, call('create-todo', { content: `inspector ${era}` })),
      );
      assert.equal(created.ownerId, idOf('user'));
      const own = succeeded(await cli(tokens.user, era, call('get-todos')));
      assert.ok((own.todos as { id: string }[]).some((t) => t.id === created.id));

      const everyone = succeeded(await cli(tokens.admin, era, call('get-todos', { ownerId: idOf('user') })));
      assert.ok(
        (everyone.todos as { id: string }[]).some((t) => t.id === created.id),
        "the admin sees the user's todo",
      );
      const deleted = succeeded(await cli(tokens.admin, era, call('delete-todo', { id: created.id })));
      assert.equal(deleted.ownerId, idOf('user'));
    });

    test(`client:inspector-cli-errors (${era}) each tool error prints its code and message with exit 5, never a schema complaint`, async () => {
      const [notFound, invalid, outOfReach, overQuota] = await Promise.all([
        cli(tokens.user, era, call('delete-todo', { id: 'AAAAAAAAAAAAAAAAAAAAAA' })),
        cli(tokens.user, era, call('create-todo', { content: '   ' })),
        cli(tokens.user, era, call('get-todos', { ownerId: idOf('admin') })),
        cli(tokens.admin, era, call('create-todo', { content: 'one too many' })),
      ]);
      printedToolError(notFound as ProcessResult, 'not_found');
      assert.match(printedToolError(invalid as ProcessResult, 'invalid_params').message, /content/);
      const refusal = printedToolError(outOfReach as ProcessResult, 'insufficient_scope');
      assert.match(refusal.message, /read:todos/);
      assert.match(refusal.message, /role user/);
      assert.match(printedToolError(overQuota as ProcessResult, 'quota_exceeded').message, /10000|10,000/);
    });

    test(`client:inspector-cli-errors (${era}) a 403 for a scope the account could be granted exits 1 naming the scope`, async () => {
      const run = await cli(tokens.adminWithoutRead, era, call('get-todos', { ownerId: idOf('user') }));
      assert.equal(run.code, 1, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
      const { error } = JSON.parse(run.stderr.trim().split('\n').at(-1) ?? '{}') as {
        error: { message: string };
      };
      assert.match(error.message, /insufficient scope/i);
      assert.match(error.message, /read:todos/);
    });
  });
}

describe('MCP Inspector 2.12 CLI signing in with its own OAuth', { timeout: 120_000 }, () => {
  let callbackUrl = '';
  before(async () => {
    callbackUrl = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  });

  /** A CLI run that may sign in itself: it prints the authorization URL and waits on its callback. */
  const oauthRun = (args: readonly string[]) =>
    startWatched(
      inspector.node,
      [
        inspector.launcher,
        '--cli',
        ctx.server.mcpUrl,
        '--transport',
        'http',
        '--callback-url',
        callbackUrl,
        '--format',
        'json',
        ...args,
      ],
      { env: inspectorOAuthEnv(home()), timeoutMs: 60_000 },
    );

  /** Does what the person at the browser does: opens the printed URL, signs in, allows, lands on the callback. */
  async function completeSignIn(run: WatchedProcess, username: string, browser: CookieJar) {
    const [, printedUrl = ''] = await run.waitFor(/Please navigate to: (\S+)/, 'the authorization URL');
    const url = new URL(printedUrl);
    assert.equal(url.origin, ctx.server.origin);
    assert.equal(url.searchParams.get('resource'), ctx.server.mcpUrl);
    assert.equal(url.searchParams.get('redirect_uri'), callbackUrl);
    const { callback, pages } = await signIn(
      url,
      username,
      ctx.server.password(username),
      callbackUrl,
      browser,
    );
    assert.ok(callback?.get('code'), `sign-in refused (HTTP ${pages.at(-1)?.status})`);
    const landing = await deliver(`${callbackUrl}?${callback}`);
    assert.equal(landing.status, 200);
    await landing.body?.cancel();
    return pages;
  }

  const whoami = (run: ProcessResult) => succeeded(run) as { subject: string; scopes: string[] };

  test('client:inspector-cli-oauth the Inspector signs in through our pages, reuses the stored sign-in, and --relogin asks the browser again', async () => {
    const browser = new CookieJar();
    const first = oauthRun(call('whoami'));
    const pages = await completeSignIn(first, 'user', browser);
    assert.deepEqual(
      pages.map((p) => (p.html.includes('name="password"') ? 'sign-in' : 'consent')),
      ['sign-in', 'consent'],
    );
    const me = whoami(await first.exited);
    assert.equal(me.subject, idOf('user'));
    assert.deepEqual(me.scopes, ['create:todos']);

    // Stored in its OAuth state file: later runs need no browser.
    const stored = await runInspectorCli(
      inspector,
      home(),
      [
        ctx.server.mcpUrl,
        '--transport',
        'http',
        '--stored-auth-only',
        '--format',
        'json',
        '--method',
        'tools/list',
      ],
      60_000,
      inspectorOAuthEnv(home()),
    );
    assert.deepEqual(listed(stored), listedToolNames('create:todos'));

    // --relogin drops the Inspector's tokens, but the browser is still signed in as user: the
    // authorization server asks only for consent, and the new tokens are the user's again.
    const relogin = oauthRun(['--relogin', ...call('whoami')]);
    const again = await completeSignIn(relogin, 'user', browser);
    assert.equal(
      again.some((p) => p.html.includes('name="password"')),
      false,
      'no sign-in form',
    );
    assert.equal(whoami(await relogin.exited).subject, idOf('user'));

    // Switching accounts takes a browser without that session (sign out, or a private window).
    const switched = oauthRun(['--relogin', ...call('whoami')]);
    await completeSignIn(switched, 'admin', new CookieJar());
    const admin = whoami(await switched.exited);
    assert.equal(admin.subject, idOf('admin'));
    assert.deepEqual([...admin.scopes].sort(), ['create:todos', 'delete:todos', 'read:todos']);
  });
});

/** GETs the Inspector's callback listener, which is up by the time it prints the URL or just after. */
async function deliver(url: string): Promise<Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(100);
    }
  }
}
