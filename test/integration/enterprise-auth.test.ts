import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CrossAppAccessProvider, discoverAndRequestJwtAuthGrant } from '@modelcontextprotocol/client';
import type { JWTPayload } from 'jose';
import { postMcp, toolCallBody } from '../support/auth-http.js';
import { cli } from '../support/cli-io.js';
import { type EnterpriseIdp, now, startEnterpriseIdp } from '../support/enterprise-idp.js';
import { addClient, type CreatedClient, connectWith, tokenRequest } from '../support/machine-clients.js';
import { call } from '../support/mcp-client.js';
import { useServer } from '../support/use-server.js';

/**
 * Enterprise-managed authorization (issue 17, SEP-990): a test enterprise IdP issues ID-JAGs by
 * token exchange; the SDK's CrossAppAccessProvider trades them at our token endpoint (JWT bearer
 * grant) for tokens of the linked person; forged and misused ID-JAGs get no token.
 */
let idp: EnterpriseIdp;
const idpReady = startEnterpriseIdp().then((started) => {
  idp = started;
  return started;
});
const ctx = useServer(async () => ({
  ENTERPRISE_IDPS: JSON.stringify([{ issuer: (await idpReady).issuer, claim: 'email' }]),
}));
after(() => idp.close());

let app: CreatedClient;
before(async () => {
  await ctx.ready;
  app = await addClient(ctx.server.databaseUrl, ['assistant', '--enterprise']);
  idp.clientIdAtResource = app.clientId;
});

const crossAppProvider = (email: string) =>
  new CrossAppAccessProvider({
    assertion: async (c) =>
      (
        await discoverAndRequestJwtAuthGrant({
          idpUrl: idp.issuer,
          audience: c.authorizationServerUrl,
          resource: c.resourceUrl,
          idToken: await idp.idToken(email),
          clientId: idp.client.id,
          clientSecret: idp.client.secret,
          ...(c.scope !== undefined && { scope: c.scope }),
          fetchFn: c.fetchFn,
        })
      ).jwtAuthGrant,
    clientId: app.clientId,
    clientSecret: app.secret ?? '',
    expectedIssuer: ctx.server.origin,
  });

describe('enterprise-managed authorization', () => {
  test('eam:id-jag-flow a person new here gets an account with role user and their own todos', async () => {
    const client = await connectWith(ctx.server.mcpUrl, crossAppProvider('Alice@Acme.example'));
    const whoami = await call(client, 'whoami');
    assert.deepEqual(whoami.value.scopes, ['create:todos']);
    assert.equal(whoami.value.clientId, app.clientId);
    const users = await cli(['users', 'list', '--database-url', ctx.server.databaseUrl]);
    const row = users.stdout.split('\n').find((line) => line.startsWith('alice@acme.example '));
    assert.ok(row?.includes(String(whoami.value.subject)), 'the subject is the linked account');
    const created = await call(client, 'create-todo', { content: 'from the assistant' });
    assert.equal(created.value.ownerId, whoami.value.subject);
    await client.close();
  });

  test('eam:id-jag-flow a person an admin linked ahead of time acts with that account’s role', async () => {
    const added = await cli([
      'users',
      'add',
      'boss@acme.example',
      '--role',
      'admin',
      '--database-url',
      ctx.server.databaseUrl,
    ]);
    assert.equal(added.code, 0, added.stderr);
    const client = await connectWith(ctx.server.mcpUrl, crossAppProvider('boss@acme.example'));
    const whoami = await call(client, 'whoami');
    assert.deepEqual([...(whoami.value.scopes as string[])].sort(), [
      'create:todos',
      'delete:todos',
      'read:todos',
    ]);
    const todos = (await call(client, 'get-todos')).value.todos as { ownerId: string }[];
    assert.ok(
      todos.some((t) => t.ownerId !== whoami.value.subject),
      "an admin sees other people's todos",
    );
    const extensions = client.getServerCapabilities()?.extensions ?? {};
    assert.ok('io.modelcontextprotocol/enterprise-managed-authorization' in extensions);
    await client.close();
  });
});

describe('refused ID-JAGs', () => {
  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    iss: idp.issuer,
    sub: 'carol',
    email: 'carol@acme.example',
    aud: ctx.server.origin,
    resource: ctx.server.mcpUrl,
    client_id: app.clientId,
    jti: randomUUID(),
    iat: now(),
    exp: now() + 300,
    scope: 'create:todos',
    ...overrides,
  });
  const exchange = (assertion: string, basic = { id: app.clientId, secret: app.secret ?? '' }) =>
    tokenRequest(
      ctx.server.origin,
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
      basic,
    );

  test('eam:id-jag-refusals every forged or misused ID-JAG gets its RFC 6749 error and no token', async () => {
    const replayed = await idp.signIdJag({ claims: claims() });
    assert.equal((await exchange(replayed)).status, 200, 'a good ID-JAG is accepted once');
    const cases: [string, Promise<string>, string][] = [
      [
        'untrusted issuer',
        idp.signIdJag({ claims: claims({ iss: 'https://evil.example' }) }),
        'invalid_grant',
      ],
      ['bad signature', idp.signIdJag({ claims: claims(), withForeignKey: true }), 'invalid_grant'],
      ['wrong typ', idp.signIdJag({ claims: claims(), typ: 'JWT' }), 'invalid_grant'],
      ['wrong aud', idp.signIdJag({ claims: claims({ aud: 'https://other-as.example' }) }), 'invalid_grant'],
      [
        'wrong client_id',
        idp.signIdJag({ claims: claims({ client_id: 'app_someoneelse000000' }) }),
        'invalid_grant',
      ],
      [
        'wrong resource',
        idp.signIdJag({ claims: claims({ resource: 'https://other.example/mcp' }) }),
        'invalid_target',
      ],
      ['expired', idp.signIdJag({ claims: claims({ iat: now() - 900, exp: now() - 600 }) }), 'invalid_grant'],
      ['replayed jti', Promise.resolve(replayed), 'invalid_grant'],
      [
        'scope outside the role',
        idp.signIdJag({ claims: claims({ scope: 'delete:todos' }) }),
        'invalid_scope',
      ],
    ];
    let accepted = 0;
    for (const [name, assertion, error] of cases) {
      const answer = await exchange(await assertion);
      if (answer.body.access_token !== undefined) accepted += 1;
      assert.equal(answer.status, 400, name);
      assert.equal(answer.body.error, error, name);
      assert.equal(typeof answer.body.error_description, 'string', name);
    }
    const wrongSecret = await exchange(await idp.signIdJag({ claims: claims() }), {
      id: app.clientId,
      secret: 'nope',
    });
    assert.equal(wrongSecret.body.error, 'invalid_client');
    const service = await addClient(ctx.server.databaseUrl, ['not-an-app', '--service', '--role', 'admin']);
    const asService = await exchange(
      await idp.signIdJag({ claims: claims({ client_id: service.clientId }) }),
      {
        id: service.clientId,
        secret: service.secret ?? '',
      },
    );
    assert.equal(asService.status, 400, 'a service client may not use the JWT bearer grant');
    accepted += [wrongSecret, asService].filter((a) => a.body.access_token !== undefined).length;
    assert.equal(accepted, 0, `${cases.length + 2} refusals, none accepted`);
  });

  test('eam:id-jag-refusals an ID-JAG presented at /mcp as a bearer token is refused', async () => {
    const idJag = await idp.signIdJag({ claims: claims() });
    const result = await postMcp(ctx.server.mcpUrl, { token: idJag, body: toolCallBody('whoami') });
    assert.equal(result.status, 401);
  });
});
