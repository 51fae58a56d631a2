import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { call, connectClient } from '../support/mcp-client.js';
import { authorizationUrl, exchangeCode } from '../support/oauth-client.js';
import { useServer } from '../support/use-server.js';

/** Debian's Chromium, installed by .ci/run; never a downloaded browser. */

const ctx = useServer();
let browser: Browser;
let callbackServer: Server;
let redirectUrl: string;
/** What the browser brought back to the client's loopback redirect URI (RFC 8252 §7.3). */
let callbacks: URL[] = [];

before(async () => {
  callbackServer = createServer((req, res) => {
    callbacks.push(new URL(req.url ?? '/', redirectUrl));
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Signed in. You can close this window.</p>');
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  redirectUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  callbackServer?.close();
});

test('as:browser-sign-in a person signs in through the pages, after a wrong password, and the code yields a working token', async () => {
  const password = ctx.server.password('user');
  callbacks = [];
  const { url, clientId, verifier } = await authorizationUrl(ctx.server.origin, ctx.server.mcpUrl, {
    redirectUrl,
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const foreign: string[] = [];
  page.on('request', (request) => {
    const origin = new URL(request.url()).origin;
    if (origin !== ctx.server.origin && !request.url().startsWith(redirectUrl)) foreign.push(request.url());
  });

  const first = await page.goto(url.href);
  assert.equal(first?.status(), 200);
  assert.match((await first?.allHeaders())?.['content-security-policy'] ?? '', /default-src 'none'/);
  assert.equal(await page.title(), 'Sign in · Todo Manager');

  await page.getByLabel('Username').fill('user');
  await page.getByLabel('Password').fill('definitely-wrong');
  const refused = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  assert.equal(refused[0]?.status(), 401);
  assert.equal(await page.getByRole('alert').textContent(), 'Wrong username or password.');
  assert.equal(await page.getByLabel('Username').inputValue(), 'user', 'the username is kept');

  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(await page.getByRole('heading').textContent(), 'Allow access');
  const scopes = await page.locator('ul:not(.refused) li code').allTextContents();
  assert.deepEqual(scopes, ['create:todos'], 'a user is offered only what the role allows');
  const outOfReach = await page.locator('ul.refused li code').allTextContents();
  assert.deepEqual(outOfReach, ['read:todos', 'delete:todos'], 'and told what the role can never have');
  assert.match((await page.getByRole('note').textContent()) ?? '', /role user/);

  await Promise.all([
    page.waitForURL(`${redirectUrl}**`),
    page.getByRole('button', { name: 'Allow' }).click(),
  ]);
  const [callback] = callbacks;
  assert.ok(callback, 'the browser came back to the client');
  assert.equal(callback.searchParams.get('iss'), ctx.server.origin);
  const code = callback.searchParams.get('code') ?? '';
  assert.deepEqual(foreign, [], 'the pages load nothing from other origins');
  await context.close();

  const response = await exchangeCode(ctx.server.origin, {
    code,
    verifier,
    clientId,
    redirectUrl,
    resource: ctx.server.mcpUrl,
  });
  assert.equal(response.status, 200);
  const tokens = (await response.json()) as { access_token: string; scope: string };
  assert.equal(tokens.scope, 'create:todos');
  const client = await connectClient(ctx.server.mcpUrl, tokens.access_token);
  const who = await call(client, 'whoami');
  assert.deepEqual(who.value.scopes, ['create:todos']);
  await client.close();
});

test('as:browser-deny denying consent sends access_denied back to the client', async () => {
  const password = ctx.server.password('admin');
  callbacks = [];
  const { url } = await authorizationUrl(ctx.server.origin, ctx.server.mcpUrl, { redirectUrl });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url.href);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.deepEqual(await page.locator('li code').allTextContents(), [
    'create:todos',
    'read:todos',
    'delete:todos',
  ]);
  await Promise.all([
    page.waitForURL(`${redirectUrl}**`),
    page.getByRole('button', { name: 'Deny' }).click(),
  ]);
  const [callback] = callbacks;
  assert.equal(callback?.searchParams.get('error'), 'access_denied');
  assert.equal(callback?.searchParams.has('code'), false);
  await context.close();
});
