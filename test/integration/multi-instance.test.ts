import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postMcp } from '../support/auth-http.js';
import { call, connectClient } from '../support/mcp-client.js';
import { authorizationUrl, connectWithOAuth, refreshTokens, signIn } from '../support/oauth-client.js';
import { useTwoInstances } from '../support/two-instances.js';

const ctx = useTwoInstances();

function bootstrapPassword(username: string): string {
  const printed = [ctx.a.errorOutput(), ctx.b.errorOutput()].filter((out) => out.includes('First start'));
  assert.equal(printed.length, 1, 'exactly one instance created the first accounts');
  const match = new RegExp(`^\\s+${username}\\s+role \\w+\\s+password (\\S+)$`, 'm').exec(printed[0] ?? '');
  return match?.[1] ?? '';
}

test('ops:multi-instance a sign-in through one instance works on the other, and data is shared', async () => {
  const publicMcp = `http://localhost:${ctx.balancer.port}/mcp`;
  ctx.balancer.setTarget(ctx.a.port);
  const { client: viaBalancer, oauth } = await connectWithOAuth(publicMcp, 'user', bootstrapPassword('user'));
  await viaBalancer.close();
  const token = oauth.tokens()?.access_token ?? '';

  const onA = await connectClient(`http://localhost:${ctx.a.port}/mcp`, token);
  const created = await call(onA, 'create-todo', { content: 'written on A' });
  await onA.close();

  // B verifies the token through the public URL, now served by B itself: the keys are shared.
  ctx.balancer.setTarget(ctx.b.port);
  const onB = await connectClient(`http://localhost:${ctx.b.port}/mcp`, token, 'modern');
  const listed = await call(onB, 'get-todos');
  assert.deepEqual(
    (listed.value.todos as { id: string }[]).map((t) => t.id),
    [created.value.id],
  );
  await onB.close();

  const refreshed = await refreshTokens(`http://localhost:${ctx.balancer.port}`, oauth);
  assert.equal(refreshed.status, 200, 'a refresh token issued by A is honoured by B');
});

test('as:code-replay-revokes a code replayed at one instance takes the first token down at the other within seconds', async () => {
  const publicOrigin = `http://localhost:${ctx.balancer.port}`;
  ctx.balancer.setTarget(ctx.a.port);
  const { url, verifier, clientId, redirectUrl } = await authorizationUrl(
    publicOrigin,
    `${publicOrigin}/mcp`,
  );
  const { callback } = await signIn(url, 'user', bootstrapPassword('user'), redirectUrl);
  const exchange = () =>
    fetch(`${publicOrigin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback?.get('code') ?? '',
        code_verifier: verifier,
        client_id: clientId,
        redirect_uri: redirectUrl,
      }),
    });
  const { access_token: token } = (await (await exchange()).json()) as { access_token: string };
  const onB = `http://localhost:${ctx.b.port}/mcp`;
  assert.equal((await postMcp(onB, { token })).status, 200);
  assert.equal((await exchange()).status, 400, 'the replay is refused by A, which revokes the grant');
  const started = Date.now();
  let status = 200;
  while (status === 200 && Date.now() - started < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = (await postMcp(onB, { token })).status;
  }
  assert.equal(status, 401, 'B refuses the token once it has read the revocation');
  assert.ok(Date.now() - started < 10_000, `it took ${Date.now() - started} ms`);
});

test('ops:instance-killed killing one instance mid-load leaves the other serving every request', async () => {
  ctx.balancer.setTarget(ctx.b.port);
  const { client, oauth } = await connectWithOAuth(
    `http://localhost:${ctx.balancer.port}/mcp`,
    'admin',
    bootstrapPassword('admin'),
  );
  await client.close();
  const token = oauth.tokens()?.access_token ?? '';
  const onB = await connectClient(`http://localhost:${ctx.b.port}/mcp`, token);
  const outcomes: boolean[] = [];
  let killed: Promise<number | string | null> | undefined;
  for (let round = 0; round < 20; round += 1) {
    if (round === 5) killed = ctx.a.stop('SIGKILL');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0
          ? call(onB, 'get-todos')
          : call(onB, 'create-todo', { content: `load ${round}.${i}` })
        ).then(
          (r) => !r.isError,
          () => false,
        ),
      ),
    );
    outcomes.push(...results);
  }
  assert.equal(await killed, 'SIGKILL');
  assert.equal(outcomes.length, 200);
  assert.ok(outcomes.every(Boolean), 'every request to B succeeded while A died');
  await onB.close();
});
