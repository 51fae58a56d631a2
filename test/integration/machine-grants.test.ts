import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { getJson } from '../support/auth-http.js';
import { addClient, tokenRequest } from '../support/machine-clients.js';
import { useServer } from '../support/use-server.js';

/**
 * Machine grants belong to admin-created clients only (issue 17): what a registered client, a
 * public client or a service may not do, and what the server advertises.
 */
const ctx = useServer();

const register = async (metadata: Record<string, unknown>) => {
  const response = await fetch(`${ctx.server.origin}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('machine grants', () => {
  test('machine:grant-isolation registration cannot ask for client_credentials or the JWT bearer grant', async () => {
    for (const grant of ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      const registered = await register({
        redirect_uris: [],
        response_types: [],
        grant_types: [grant],
        token_endpoint_auth_method: 'client_secret_basic',
      });
      assert.equal(registered.status, 400, grant);
      assert.equal(registered.body.error, 'invalid_client_metadata');
    }
  });

  test('machine:grant-isolation a public client cannot use client_credentials', async () => {
    const registered = await register({
      redirect_uris: ['http://127.0.0.1:45191/cb'],
      token_endpoint_auth_method: 'none',
    });
    assert.equal(registered.status, 201);
    const token = await tokenRequest(ctx.server.origin, {
      grant_type: 'client_credentials',
      client_id: String(registered.body.client_id),
    });
    assert.equal(token.status, 400);
    assert.equal(token.body.access_token, undefined);
    assert.ok(
      ['invalid_request', 'unauthorized_client', 'invalid_client'].includes(String(token.body.error)),
    );
  });

  test('machine:grant-isolation a service cannot use the authorization code grant', async () => {
    const service = await addClient(ctx.server.databaseUrl, ['no-browser', '--service', '--role', 'admin']);
    const authorize = new URL('/auth', ctx.server.origin);
    authorize.search = new URLSearchParams({
      client_id: service.clientId,
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:45191/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const page = await fetch(authorize, { redirect: 'manual' });
    assert.equal(page.status, 400, 'no sign-in, no redirect with a code');
    const token = await tokenRequest(
      ctx.server.origin,
      {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: 'http://127.0.0.1:45191/cb',
        code_verifier: 'v'.repeat(43),
      },
      { id: service.clientId, secret: service.secret ?? '' },
    );
    assert.equal(token.status, 400);
    assert.equal(token.body.access_token, undefined);
  });

  test('machine:extensions the metadata advertises the grants and the MCP server declares the extensions', async () => {
    const metadata = await getJson(`${ctx.server.origin}/.well-known/oauth-authorization-server`);
    const grants = (JSON.parse(metadata.text) as { grant_types_supported: string[] }).grant_types_supported;
    assert.ok(grants.includes('client_credentials'));
    const service = await addClient(ctx.server.databaseUrl, ['announcer', '--service', '--role', 'user']);
    const token = await tokenRequest(
      ctx.server.origin,
      { grant_type: 'client_credentials' },
      {
        id: service.clientId,
        secret: service.secret ?? '',
      },
    );
    assert.equal(token.body.scope, 'create:todos', 'no scope asked: the role grants its own');
    const client = new Client({ name: 'extensions-probe', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(ctx.server.mcpUrl), {
      authProvider: { token: async () => String(token.body.access_token) },
    });
    await client.connect(transport);
    const extensions = client.getServerCapabilities()?.extensions ?? {};
    assert.ok('io.modelcontextprotocol/oauth-client-credentials' in extensions);
    await client.close();
  });
});
