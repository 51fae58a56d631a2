import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { screenshot, signInToConsole, untilRefused } from '../support/console-browser.js';
import { call } from '../support/mcp-client.js';
import { connectWithOAuth } from '../support/oauth-client.js';
import { freshSchema, type TestDatabase } from '../support/postgres.js';
import { useServer } from '../support/use-server.js';

// On PostgreSQL: the browser tests of the other files run on SQLite.
let database: TestDatabase | undefined;
const ctx = useServer(async () => {
  database = await freshSchema();
  return { DATABASE_URL: database.url };
});
let browser: Browser;
const admin = () => ({ username: 'admin', password: ctx.server.password('admin') });
const userId = () => ctx.server.accounts.find((a) => a.user.username === 'user')?.user.id ?? '';
let userPassword = '';

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await database?.dispose();
});

const waitForNotice = (page: import('playwright-core').Page, click: () => Promise<void>) =>
  Promise.all([page.waitForURL(/notice=/), click()]);

test('console:sign-out-everywhere signing out everywhere ends the sessions of every browser', async () => {
  userPassword = ctx.server.password('user');
  const [one, two] = [await browser.newContext(), await browser.newContext()];
  const credentials = { username: 'user', password: userPassword };
  const first = await signInToConsole(one, ctx.server.origin, credentials);
  const second = await signInToConsole(two, ctx.server.origin, credentials);
  await Promise.all([
    first.waitForURL(/\/account\/signed-out$/),
    first.getByRole('button', { name: 'Sign out everywhere' }).click(),
  ]);
  assert.match(
    String(await first.getByRole('status').textContent()),
    /Every session of your account has ended/,
  );
  await screenshot(first, 'account-signed-out-everywhere');
  for (const page of [first, second]) {
    await page.goto(`${ctx.server.origin}/account`);
    assert.equal(await page.title(), 'Sign in · Todo Manager');
  }
  await one.close();
  await two.close();
});

test('console:admin-reset-password an admin resets a password, shown once; the old one and the apps stop', async (t) => {
  const { client } = await connectWithOAuth(ctx.server.mcpUrl, 'user', userPassword);
  const context = await browser.newContext();
  const page = await signInToConsole(context, ctx.server.origin, admin(), '/admin/accounts');
  const since = performance.now();
  await waitForNotice(page, () => page.getByRole('button', { name: 'Reset password of user' }).click());
  const password = String(await page.locator('#one-time-password').textContent());
  const refused = await untilRefused(since, () => call(client, 'whoami'));
  t.diagnostic(`password reset to first refused call: ${refused.elapsedMs} ms`);
  await assert.rejects(connectWithOAuth(ctx.server.mcpUrl, 'user', userPassword), /sign-in refused/);
  userPassword = password;
  const again = await connectWithOAuth(ctx.server.mcpUrl, 'user', userPassword);
  await again.client.close();
  await client.close();
  await context.close();
});

test('console:admin-clients an admin revokes a client’s grants, deletes it, and revokes one grant of an account', async (t) => {
  const connected = await connectWithOAuth(ctx.server.mcpUrl, 'user', userPassword);
  const clientId = String(connected.oauth.clientInformation()?.client_id);
  const context = await browser.newContext();
  const page = await signInToConsole(context, ctx.server.origin, admin(), '/admin/clients');
  const row = () => page.getByRole('row', { name: clientId });
  assert.match(String(await row().textContent()), /1 grant, 1 account/);
  await screenshot(page, 'admin-clients-before');
  const since = performance.now();
  await waitForNotice(page, () =>
    row()
      .getByRole('button', { name: /^Revoke all grants/ })
      .click(),
  );
  const refused = await untilRefused(since, () => call(connected.client, 'whoami'));
  t.diagnostic(`client revocation to first refused call: ${refused.elapsedMs} ms`);
  assert.match(String(await row().textContent()), /0 grants, 0 accounts/);
  await waitForNotice(page, () =>
    row()
      .getByRole('button', { name: /^Delete/ })
      .click(),
  );
  assert.equal(await row().count(), 0);

  const other = await connectWithOAuth(ctx.server.mcpUrl, 'user', userPassword);
  await page.goto(`${ctx.server.origin}/admin/grants?account=${userId()}`);
  const grantRow = page.getByRole('row', { name: String(other.oauth.clientInformation()?.client_id) });
  await waitForNotice(page, () => grantRow.getByRole('button', { name: /^Revoke/ }).click());
  await untilRefused(performance.now(), () => call(other.client, 'whoami'));
  assert.equal(await grantRow.count(), 0);
  await connected.client.close();
  await other.client.close();
  await context.close();
});
