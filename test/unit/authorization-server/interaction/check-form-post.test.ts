import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { createCsrf } from '../../../../src/authorization-server/csrf.js';
import { checkCsrfToken } from '../../../../src/authorization-server/interaction/check-csrf-token.js';
import { checkFormPost } from '../../../../src/authorization-server/interaction/check-form-post.js';
import { MAX_FORM_BYTES, readForm } from '../../../../src/authorization-server/interaction/read-form.js';
import { AppError, type ErrorCode } from '../../../../src/errors.js';

const ISSUER = 'http://localhost:3001';
const FORM = 'application/x-www-form-urlencoded';

const post = (headers: Record<string, string>, method = 'POST') =>
  ({ method, headers: { 'content-type': FORM, origin: ISSUER, ...headers } }) as unknown as IncomingMessage;
const fails = (code: ErrorCode) => (error: unknown) => error instanceof AppError && error.code === code;

test('as:form-post-guards a same-origin web form post passes, also without an Origin', () => {
  checkFormPost(post({}), ISSUER);
  checkFormPost(post({ 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' }), ISSUER);
  const { origin: _, ...withoutOrigin } = post({}).headers;
  checkFormPost({ method: 'POST', headers: withoutOrigin } as IncomingMessage, ISSUER);
});

test('as:form-post-guards another method, another origin or another format is refused, in that order', () => {
  assert.throws(
    () => checkFormPost(post({ origin: 'https://evil.example' }, 'PUT'), ISSUER),
    fails('method_not_allowed'),
  );
  assert.throws(
    () => checkFormPost(post({ origin: 'https://evil.example' }), ISSUER),
    fails('forbidden_origin'),
  );
  assert.throws(() => checkFormPost(post({ origin: 'null' }), ISSUER), fails('forbidden_origin'));
  assert.throws(
    () => checkFormPost(post({ 'content-type': 'application/json' }), ISSUER),
    fails('unsupported_media_type'),
  );
  assert.throws(
    () => checkFormPost(post({ 'content-type': 'multipart/form-data' }), ISSUER),
    fails('unsupported_media_type'),
  );
});

test('as:form-post-guards a form token is valid only for the interaction it was made for', () => {
  const csrf = createCsrf('secret');
  const form = new URLSearchParams({ csrf: csrf.token('uid-1') });
  checkCsrfToken(csrf, 'uid-1', form);
  assert.throws(() => checkCsrfToken(csrf, 'uid-2', form), fails('forbidden'));
  assert.throws(() => checkCsrfToken(csrf, 'uid-1', new URLSearchParams()), fails('forbidden'));
});

const body = (text: string, headers: Record<string, string> = {}) =>
  Object.assign(Readable.from([Buffer.from(text)]), { headers }) as unknown as IncomingMessage;

test('a form is read into its fields', async () => {
  const form = await readForm(body('csrf=t&username=alice&password=p%26ss'));
  assert.deepEqual(Object.fromEntries(form), { csrf: 't', username: 'alice', password: 'p&ss' });
});

test('a form over 16 KiB is refused with 413, whether or not its length was declared', async () => {
  const large = 'x'.repeat(MAX_FORM_BYTES + 1);
  await assert.rejects(readForm(body(large)), fails('payload_too_large'));
  await assert.rejects(
    readForm(body('', { 'content-length': String(large.length) })),
    fails('payload_too_large'),
  );
  assert.equal((await readForm(body('x'.repeat(MAX_FORM_BYTES)))).has('x'.repeat(MAX_FORM_BYTES)), true);
});
