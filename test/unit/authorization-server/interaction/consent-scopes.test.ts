import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  consentScopes,
  decideResourceScopes,
  type MissingConsent,
  missingConsent,
} from '../../../../src/authorization-server/interaction/consent-scopes.js';

const MCP = 'http://localhost:3001/mcp';
const missing = (resourceScopes: Record<string, string[]>, oidcScopes: string[] = []): MissingConsent => ({
  oidcScopes,
  oidcClaims: [],
  resourceScopes,
});
const ALL = ['create:todos', 'read:todos', 'delete:todos'];

test('as:flow-user a user is offered and granted only create:todos; the rest is refused', () => {
  const asked = missing({ [MCP]: ALL });
  assert.deepEqual(consentScopes(asked, 'user'), ['create:todos']);
  assert.deepEqual(decideResourceScopes(asked, 'user'), [
    { indicator: MCP, granted: ['create:todos'], refused: ['read:todos', 'delete:todos'] },
  ]);
});

test('as:flow-admin an admin is granted every todo scope asked for, and only those', () => {
  assert.deepEqual(consentScopes(missing({ [MCP]: ALL }), 'admin'), ALL);
  assert.deepEqual(consentScopes(missing({ [MCP]: ['read:todos'] }), 'admin'), ['read:todos']);
});

test('scopes no role holds are refused, and offline_access is listed only when asked', () => {
  const asked = missing({ [MCP]: ['create:todos', 'admin:everything'] }, ['openid', 'offline_access']);
  assert.deepEqual(consentScopes(asked, 'admin'), ['create:todos', 'offline_access']);
  assert.deepEqual(decideResourceScopes(asked, 'admin')[0]?.refused, ['admin:everything']);
  assert.deepEqual(consentScopes(missing({}, ['openid']), 'admin'), []);
});

test('the prompt details oidc-provider gives are read, and absent ones are empty', () => {
  const details = {
    missingOIDCScope: ['openid', 'offline_access'],
    missingOIDCClaims: ['sub'],
    missingResourceScopes: { [MCP]: ['create:todos'] },
  };
  assert.deepEqual(missingConsent({ name: 'consent', reasons: [], details }), {
    oidcScopes: ['openid', 'offline_access'],
    oidcClaims: ['sub'],
    resourceScopes: { [MCP]: ['create:todos'] },
  });
  assert.deepEqual(missingConsent({ name: 'consent', reasons: [], details: {} }), missing({}));
});
