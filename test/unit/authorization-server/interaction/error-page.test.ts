import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderErrorPage } from '../../../../src/authorization-server/interaction/error-page.js';
import { signInProblem } from '../../../../src/authorization-server/interaction/sign-in-problem.js';
import { AppError } from '../../../../src/errors.js';

const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
const alert = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1];

test('an AppError becomes a page with its status, a heading for its code and its message', () => {
  const page = renderErrorPage(new AppError('forbidden_origin', 'Cross-site form posts are refused.'));
  assert.equal(page.status, 403);
  assert.equal(heading(page.html), 'Not allowed');
  assert.equal(alert(page.html), 'Cross-site form posts are refused.');
});

test('the statuses and headings of the refusals the sign-in pages make', () => {
  const cases: [AppError, number, string][] = [
    [new AppError('not_found', 'x'), 404, 'Not found'],
    [new AppError('forbidden', 'x'), 403, 'Not allowed'],
    [new AppError('payload_too_large', 'x'), 413, 'Form too large'],
    [new AppError('unsupported_media_type', 'x'), 415, 'Unsupported form'],
    [new AppError('invalid_request', 'x'), 400, 'Sign-in expired'],
  ];
  for (const [error, status, title] of cases) {
    const page = renderErrorPage(error);
    assert.deepEqual([page.status, heading(page.html)], [status, title], error.code);
  }
});

test('a sign-in problem is headed by its reason', () => {
  const titles = (['expired', 'session_ended', 'already_signed_in', 'not_signed_in'] as const).map((reason) =>
    heading(renderErrorPage(signInProblem(reason, 'Reload the page.')).html),
  );
  assert.deepEqual(titles, ['Sign-in expired', 'Sign in again', 'Already signed in', 'Sign in first']);
  assert.equal(renderErrorPage(signInProblem('expired', 'x')).status, 400);
});

test('a 405 names the methods that are allowed', () => {
  const page = renderErrorPage(new AppError('method_not_allowed', 'Use the form.', { allow: 'POST' }));
  assert.equal(page.status, 405);
  assert.deepEqual(page.headers, { allow: 'POST' });
});

test('an unexpected error is a 500 that shows none of its details', () => {
  for (const error of [
    new Error('database password is hunter2'),
    new AppError('internal_error', 'hunter2'),
  ]) {
    const page = renderErrorPage(error);
    assert.equal(page.status, 500);
    assert.equal(heading(page.html), 'Something went wrong');
    assert.doesNotMatch(page.html, /hunter2/);
  }
  assert.equal(renderErrorPage('a thrown string').status, 500);
});

test('messages are escaped', () => {
  const page = renderErrorPage(new AppError('not_found', '<script>alert(1)</script>'));
  assert.doesNotMatch(page.html, /<script>/);
});
