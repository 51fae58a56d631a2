import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toConnectedApp } from '../../../src/authorization-server/connected-apps.js';

const grant = {
  grantId: 'g1',
  accountId: 'a1',
  payload: {
    iat: 1_800_000_000,
    openid: { scope: 'openid offline_access' },
    resources: { 'https://todos.example/mcp': 'read:todos create:todos' },
  },
};

test('as:grant-usage a registered client shows its name and dcr; scopes are OpenID and resource scopes together', () => {
  const app = toConnectedApp({
    ...grant,
    clientId: 'abc',
    client: { client_id: 'abc', client_name: 'Claude' },
    firstUsedAt: 1_800_000_060,
    lastUsedAt: 1_800_000_600,
    expiresAt: 1_802_592_000,
  });
  assert.deepEqual(app, {
    grantId: 'g1',
    accountId: 'a1',
    clientId: 'abc',
    clientName: 'Claude',
    clientOrigin: 'dcr',
    scopes: ['create:todos', 'offline_access', 'openid', 'read:todos'],
    createdAt: '2027-01-15T08:00:00.000Z',
    firstUsedAt: '2027-01-15T08:01:00.000Z',
    lastUsedAt: '2027-01-15T08:10:00.000Z',
    expiresAt: '2027-02-14T08:00:00.000Z',
  });
});

test('as:grant-usage a client id URL is a metadata document client named by its URL; anything else was pre-registered', () => {
  const cimd = toConnectedApp({ ...grant, clientId: 'https://app.example/client.json' });
  assert.equal(cimd.clientOrigin, 'metadata-document');
  assert.equal(cimd.clientName, 'https://app.example/client.json');
  assert.equal(cimd.lastUsedAt, undefined);
  assert.equal(
    toConnectedApp({ ...grant, clientId: 'todo-manager-resource-server' }).clientOrigin,
    'pre-registered',
  );
});
