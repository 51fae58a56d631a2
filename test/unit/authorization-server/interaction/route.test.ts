import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchInteractionRoute } from '../../../../src/authorization-server/interaction/route.js';
import { AppError } from '../../../../src/errors.js';

test('the page and its three forms are routed', () => {
  assert.deepEqual(matchInteractionRoute('/interaction/Ab_9-z'), { uid: 'Ab_9-z', action: undefined });
  for (const action of ['login', 'confirm', 'abort']) {
    assert.deepEqual(matchInteractionRoute(`/interaction/uid/${action}`), { uid: 'uid', action });
  }
});

test('anything else under /interaction/ is not found', () => {
  for (const path of [
    '/interaction/',
    '/interaction/uid/other',
    '/interaction/uid/login/',
    '/interaction/a.b',
    '/interaction/../token',
    `/interaction/${'a'.repeat(129)}`,
  ]) {
    assert.throws(
      () => matchInteractionRoute(path),
      (error: unknown) => error instanceof AppError && error.code === 'not_found',
      path,
    );
  }
});
