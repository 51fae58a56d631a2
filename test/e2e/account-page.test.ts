import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import {
  readmeScreenshot,
  screenshot,
  signInToConsole,
  untilLastUseShown,
  untilRefused,
} from '../support/console-browser.js';
import { call } from '../support/mcp-client.js';
import { connectWithOAuth } from '../support/oauth-client.js';
import { useServer } from '../support/use-server.js';

const ctx = useServer();
let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('console:account-revoke console:last-use a user sees the client they connected on /account, revokes it, and its next call is refused', async (t) => {
  const password = ctx.server.password('user');
  const connectedAt = new Date().toISOString();
  const { client } = await connectWithOAuth(ctx.server.mcpUrl, 'user', password);
  assert.equal((await call(client, 'whoami')).isError, false);

  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await signInToConsole(context, ctx.server.origin, { username: 'user', password });
  const headers = (await page.request.get(`${ctx.server.origin}/account`)).headers();
  assert.match(headers['content-security-policy'] ?? '', /default-src 'none'.*frame-ancestors 'none'/);
  assert.doesNotMatch(headers['content-security-policy'] ?? '', /script-src/);
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your account');
  const row = page.getByRole('row', { name: /Todo Manager test client/ });
  assert.match((await row.textContent()) ?? '', /dynamic registration/);
  assert.match((await row.textContent()) ?? '', /create:todos/);
  // console:last-use: the whoami call above is the use shown, recorded off the request path.
  const lastUse = await untilLastUseShown(page, row);
  assert.ok(lastUse.replace(' ', 'T') >= connectedAt.slice(0, 16), `${lastUse} is after ${connectedAt}`);
  await screenshot(page, 'account-page');
  await readmeScreenshot(page, 'account-page', 560);

  const since = performance.now();
  await Promise.all([
    page.waitForURL(/\/account\?notice=/),
    page.getByRole('button', { name: 'Revoke Todo Manager test client' }).click(),
  ]);
  const refused = await untilRefused(since, () => call(client, 'whoami'));
  t.diagnostic(`revocation to first refused call: ${refused.elapsedMs} ms (${refused.refusal.slice(0, 80)})`);
  assert.match(String(await page.getByRole('status').textContent()), /Access revoked/);
  assert.equal(await page.getByRole('row', { name: /Todo Manager test client/ }).count(), 0);
  await screenshot(page, 'account-page-revoked');
  await client.close();
  await context.close();
});

test('console:change-password the account page changes a password only with the current one, and refuses a weak one', async () => {
  const user = 'user';
  const old = ctx.server.password(user);
  const context = await browser.newContext();
  const page = await signInToConsole(context, ctx.server.origin, { username: user, password: old });
  const submit = async (current: string, next: string) => {
    await page.getByLabel('Current password').fill(current);
    await page.getByLabel('New password').fill(next);
    await Promise.all([
      page.waitForURL(/notice=/),
      page.getByRole('button', { name: 'Change password' }).click(),
    ]);
  };
  await submit('not-the-password', 'violet kettle under seven maps');
  assert.equal(await page.getByRole('alert').textContent(), 'The current password is wrong.');
  await submit(old, 'password1');
  assert.match(String(await page.getByRole('alert').textContent()), /too weak/);
  await screenshot(page, 'account-page-weak-password');
  await submit(old, 'violet kettle under seven maps');
  assert.match(String(await page.getByRole('status').textContent()), /Password changed/);
  assert.equal(await page.title(), 'Your account · Todo Manager', 'this browser stays signed in');
  await assert.rejects(connectWithOAuth(ctx.server.mcpUrl, user, old), /sign-in refused/);
  const { client } = await connectWithOAuth(ctx.server.mcpUrl, user, 'violet kettle under seven maps');
  await client.close();
  await context.close();
});
