import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import type { ConsoleDeps } from '../../../../src/authorization-server/console/console-deps.js';
import {
  consoleSession,
  returnPath,
  signInLocation,
} from '../../../../src/authorization-server/console/console-session.js';
import { consoleAuditEvent } from '../../../../src/authorization-server/console-audit.js';
import {
  CONSOLE_CALLBACK_PATH,
  CONSOLE_CLIENT_ID,
} from '../../../../src/authorization-server/console-client.js';
import type { UserRecord } from '../../../../src/storage/auth-store.js';

test('after signing in, the console returns only to its own pages, never to a crafted address', () => {
  for (const path of [
    '/account',
    '/admin/accounts',
    '/admin/grants?account=a-B_1',
    '/admin/audit?actor=bob&action=update',
  ]) {
    assert.equal(returnPath(path), path);
  }
  for (const path of [
    null,
    '',
    '//evil.example',
    'https://evil.example/account',
    '/accounts',
    '/admin/../x',
    '/account\\evil',
    '/account?x=<script>',
  ]) {
    assert.equal(returnPath(path), '/account', String(path));
  }
});

test('signing in goes to the authorization endpoint as the console client, with PKCE and the page asked for', () => {
  const url = new URL(signInLocation('http://localhost:3001', '/admin/clients'));
  assert.equal(url.origin + url.pathname, 'http://localhost:3001/auth');
  const params = Object.fromEntries(url.searchParams);
  assert.equal(params.client_id, CONSOLE_CLIENT_ID);
  assert.equal(params.redirect_uri, `http://localhost:3001${CONSOLE_CALLBACK_PATH}`);
  assert.equal(params.code_challenge_method, 'S256');
  assert.match(params.code_challenge ?? '', /^[\w-]{43}$/);
  assert.equal(params.state, '/admin/clients');
  assert.equal(params.scope, 'openid');
});

test('a console change is audited in the vocabulary the audit table admits, marked as an admin action on another account', () => {
  const time = new Date('2026-12-05T20:00:00Z');
  const event = consoleAuditEvent({ actor: 'a', operation: 'set-role', ownerId: 'b', detail: 'user' }, time);
  assert.deepEqual(event, {
    time: '2026-12-05T20:00:00.000Z',
    action: 'update',
    actor: 'a',
    clientId: CONSOLE_CLIENT_ID,
    ownerId: 'b',
    isAdminAction: true,
    outcome: 'ok',
    tool: 'console:set-role',
    scope: 'user',
  });
  const own = consoleAuditEvent({ actor: 'a', operation: 'change-password', ownerId: 'a' }, time);
  assert.equal(own.isAdminAction, false);
  assert.ok(!('scope' in own));
});

/** The console's view of a browser whose oidc-provider session is alice's, with her account as given. */
function sessionOf(account: UserRecord | undefined) {
  const deps = {
    provider: { Session: { get: async () => ({ accountId: 'alice-id', uid: 'session-uid' }) } },
    users: { findById: async (id: string) => (id === 'alice-id' ? account : undefined) },
    csrf: { token: (subject: string) => `token for ${subject}` },
    behindProxy: false,
  } as unknown as Pick<ConsoleDeps, 'provider' | 'users' | 'csrf' | 'behindProxy'>;
  return consoleSession(deps, {} as IncomingMessage, {} as ServerResponse);
}

test('as:disabled-account a console session of a disabled account is treated as signed out', async () => {
  const alice: UserRecord = {
    id: 'alice-id',
    username: 'alice',
    passwordHash: 'x',
    role: 'user',
    createdAt: '2026-12-05T20:00:00.000Z',
  };
  assert.equal((await sessionOf(alice))?.csrf, 'token for console:session-uid');
  assert.equal(await sessionOf({ ...alice, disabledAt: '2026-12-05T21:00:00.000Z' }), undefined);
  assert.equal(await sessionOf(undefined), undefined, 'an account removed meanwhile');
});
