import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { postMcp, toolCallBody, toolOutcome } from '../support/auth-http.js';
import { freshSchema, type TestDatabase } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { useServerWithIssuer } from '../support/use-server.js';

let database: TestDatabase;
let proxy: TcpProxy;

// The database sits behind a proxy the test can cut; the server is closed before either goes away.
const ctx = useServerWithIssuer(async () => {
  database = await freshSchema();
  proxy = await startTcpProxy(5432);
  const url = new URL(database.url);
  url.host = `127.0.0.1:${proxy.port}`;
  return { DATABASE_URL: url.toString() };
});
after(async () => {
  await proxy?.close();
  await database?.dispose();
});

test('ops:db-outage a database outage answers 503 with Retry-After, and the server recovers by itself', async () => {
  const token = await ctx.issuer.sign({ claims: { sub: 'ops-user', scope: 'create:todos' } });
  const create = (content: string) =>
    postMcp(ctx.server.mcpUrl, { token, body: toolCallBody('create-todo', { content }) });
  const ready = () => fetch(`${ctx.server.origin}/readyz`);

  assert.equal(toolOutcome(await create('before the outage')).isError, false);
  assert.equal((await ready()).status, 200);

  await proxy.cut();
  const during = await create('during the outage');
  assert.equal(during.status, 503);
  assert.equal(during.headers.get('retry-after'), '5');
  assert.equal(JSON.parse(during.text).error, 'temporarily_unavailable');
  const notReady = await ready();
  assert.equal(notReady.status, 503);
  assert.equal(((await notReady.json()) as { checks: { database: string } }).checks.database, 'unavailable');
  assert.equal(
    (await postMcp(ctx.server.mcpUrl, { token })).status,
    200,
    'calls that need no database still work',
  );

  await proxy.restore();
  assert.equal(toolOutcome(await create('after the outage')).isError, false);
  assert.equal((await ready()).status, 200);
  const list = toolOutcome(await postMcp(ctx.server.mcpUrl, { token, body: toolCallBody('get-todos') }));
  const contents = (list.value.todos as { content: string }[]).map((t) => t.content);
  assert.deepEqual(contents, ['after the outage', 'before the outage'], 'nothing was half-written');
});
