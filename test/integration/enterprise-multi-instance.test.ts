import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type EnterpriseIdp, now, startEnterpriseIdp } from '../support/enterprise-idp.js';
import { addClient, type CreatedClient, tokenRequest } from '../support/machine-clients.js';
import { freshSchema, type TestDatabase } from '../support/postgres.js';
import { type RunningServer, startServer } from '../support/start-server.js';

/**
 * Two instances behind one public URL on one PostgreSQL schema (issue 17): an ID-JAG that one
 * instance exchanged is refused by the other, since the jti is claimed in the shared replay store.
 */
const PUBLIC_URL = 'http://localhost:9';
let database: TestDatabase;
let idp: EnterpriseIdp;
let a: RunningServer;
let b: RunningServer;
let app: CreatedClient;

before(async () => {
  [database, idp] = await Promise.all([freshSchema(), startEnterpriseIdp()]);
  const shared = {
    PUBLIC_URL,
    DATABASE_URL: database.url,
    ENTERPRISE_IDPS: JSON.stringify([{ issuer: idp.issuer, claim: 'email' }]),
  };
  a = await startServer(undefined, shared);
  b = await startServer(undefined, shared);
  app = await addClient(database.url, ['assistant', '--enterprise']);
});
after(async () => {
  await a?.close();
  await b?.close();
  await idp?.close();
  await database?.dispose();
});

test('eam:id-jag-refusals an ID-JAG exchanged at one instance is refused as a replay by the other', async () => {
  const assertion = await idp.signIdJag({
    claims: {
      iss: idp.issuer,
      sub: 'dana',
      email: 'dana@acme.example',
      aud: PUBLIC_URL,
      resource: `${PUBLIC_URL}/mcp`,
      client_id: app.clientId,
      jti: randomUUID(),
      iat: now(),
      exp: now() + 300,
    },
  });
  const exchange = (server: RunningServer) =>
    tokenRequest(
      `http://127.0.0.1:${server.app.address.port}`,
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
      { id: app.clientId, secret: app.secret ?? '' },
    );
  const first = await exchange(a);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const again = await exchange(b);
  assert.equal(again.status, 400);
  assert.equal(again.body.error, 'invalid_grant');
  assert.equal(again.body.access_token, undefined);
});
