import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectedApps, grantScopes } from '../../../../src/authorization-server/account/connected-apps.js';
import { lastTokenIssuedAt } from '../../../../src/authorization-server/account/last-use.js';
import { CONSOLE_CLIENT_ID } from '../../../../src/authorization-server/console-client.js';
import type { StoredModel } from '../../../../src/storage/auth-store.js';

const RESOURCE = 'http://localhost:3001/mcp';

test('grantScopes lists OpenID and resource scopes, less the ones the consent rejected', () => {
  const payload = {
    openid: { scope: 'openid offline_access' },
    resources: { [RESOURCE]: 'create:todos read:todos delete:todos' },
    rejected: { resources: { [RESOURCE]: 'read:todos delete:todos' } },
  };
  assert.deepEqual(grantScopes(payload), ['openid', 'offline_access', 'create:todos']);
  assert.deepEqual(grantScopes({}), []);
});

test('lastTokenIssuedAt is the latest issue time among the records of that grant only', () => {
  const issued: StoredModel[] = [
    { id: 'r1', payload: { grantId: 'g1', iat: 100 } },
    { id: 'r2', payload: { grantId: 'g1', iat: 300 } },
    { id: 'r3', payload: { grantId: 'g2', iat: 900 } },
    { id: 'r4', payload: { grantId: 'g1' } },
  ];
  assert.equal(lastTokenIssuedAt('g1', issued), 300);
  assert.equal(lastTokenIssuedAt('g3', issued), undefined);
});

/** A store holding one account's records, by model, as `listModels` answers. */
function storeOf(
  models: Record<string, StoredModel[]>,
  clients: Record<string, Record<string, unknown>> = {},
) {
  return {
    listModels: async (model: string) => models[model] ?? [],
    findModel: async (model: string, id: string) => (model === 'Client' ? clients[id] : undefined),
  };
}

test('connectedApps names each client and where it came from, leaves out the console, and takes the latest use', async () => {
  const grant = (id: string, clientId: string, iat: number): StoredModel => ({
    id,
    payload: { accountId: 'alice', clientId, iat, resources: { [RESOURCE]: 'create:todos' } },
  });
  const store = storeOf(
    {
      Grant: [
        grant('g1', 'dcr-client', 1_000),
        grant('g2', 'https://app.example/client.json', 2_000),
        grant('g3', 'configured', 3_000),
        grant('g4', CONSOLE_CLIENT_ID, 4_000),
      ],
      RefreshToken: [{ id: 'r1', payload: { grantId: 'g1', iat: 5_000 } }],
    },
    { 'dcr-client': { client_name: 'Desktop app' } },
  );
  const apps = await connectedApps(
    {
      store,
      staticName: async (id) => (id === 'configured' ? 'Service' : undefined),
      lastUse: async (id) => (id === 'g2' ? 7_000 : undefined),
    },
    'alice',
  );
  assert.deepEqual(
    apps.map((app) => [app.grantId, app.name, app.origin, app.lastUse]),
    [
      ['g3', 'Service', 'pre-registered', new Date(3_000_000).toISOString()],
      ['g2', 'app.example', 'metadata document', new Date(7_000_000).toISOString()],
      ['g1', 'Desktop app', 'dynamic registration', new Date(5_000_000).toISOString()],
    ],
  );
  assert.equal(apps[2]?.firstUse, new Date(1_000_000).toISOString());
  assert.deepEqual(apps[0]?.scopes, ['create:todos']);
});
