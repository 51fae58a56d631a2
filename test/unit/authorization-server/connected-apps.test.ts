import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientOriginOf,
  grantedScopes,
  toConnectedApp,
  toConnectedApps,
} from '../../../src/authorization-server/connected-apps.js';
import { CONSOLE_CLIENT_ID } from '../../../src/authorization-server/console-client.js';

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

test('as:grant-usage the scopes shown leave out the ones the consent rejected', () => {
  const app = toConnectedApp({
    ...grant,
    clientId: 'abc',
    payload: {
      openid: { scope: 'openid offline_access' },
      resources: { 'https://todos.example/mcp': 'create:todos read:todos delete:todos' },
      rejected: { resources: { 'https://todos.example/mcp': 'read:todos delete:todos' } },
    },
  });
  assert.deepEqual(app.scopes, ['create:todos', 'offline_access', 'openid']);
  assert.deepEqual(grantedScopes({}), []);
});

test('as:grant-usage a client id this server would not fetch a document for was configured, not a metadata document', () => {
  assert.equal(clientOriginOf('https://app.example/client.json', false), 'metadata-document');
  assert.equal(clientOriginOf('https://localhost/client.json', false), 'pre-registered');
  assert.equal(clientOriginOf('http://app.example/client.json', false), 'pre-registered');
  assert.equal(clientOriginOf('https://app.example/client.json', true), 'dcr');
});

test('as:grant-usage the connected apps leave out the console’s own sign-in and keep the store’s order', () => {
  const record = (grantId: string, clientId: string) => ({ ...grant, grantId, clientId });
  const apps = toConnectedApps([record('g2', 'b'), record('g1', CONSOLE_CLIENT_ID), record('g3', 'a')]);
  assert.deepEqual(
    apps.map((app) => app.grantId),
    ['g2', 'g3'],
  );
});
