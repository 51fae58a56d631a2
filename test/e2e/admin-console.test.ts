import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import {
  csrfOf,
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
const admin = () => ({ username: 'admin', password: ctx.server.password('admin') });
const user = () => ({ username: 'user', password: ctx.server.password('user') });
const userId = () => ctx.server.accounts.find((a) => a.user.username === 'user')?.user.id ?? '';

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('console:admin-disable console:last-use an admin disables an account: its token and its sign-in are refused until it is enabled; both are audited', async (t) => {
  const { client } = await connectWithOAuth(ctx.server.mcpUrl, 'user', user().password);
  assert.equal((await call(client, 'whoami')).isError, false);
  const own = await signInToConsole(await browser.newContext(), ctx.server.origin, user());
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await signInToConsole(
    context,
    ctx.server.origin,
    admin(),
    `/admin/grants?account=${userId()}`,
  );
  await untilLastUseShown(page, page.getByRole('row', { name: /Todo Manager test client/ }));
  await screenshot(page, 'admin-grants');

  await page.goto(`${ctx.server.origin}/admin/accounts`);
  const since = performance.now();
  await Promise.all([page.waitForURL(/notice=/), page.getByRole('button', { name: 'Disable user' }).click()]);
  const refused = await untilRefused(since, () => call(client, 'whoami'));
  t.diagnostic(`disable to first refused call: ${refused.elapsedMs} ms (${refused.refusal.slice(0, 80)})`);
  assert.match(String(await page.getByRole('status').textContent()), /Disabled user/);
  assert.match(String(await page.getByRole('row', { name: /^user/ }).textContent()), /disabled/);
  await page.reload();
  await readmeScreenshot(page, 'admin-console', 482);
  await assert.rejects(connectWithOAuth(ctx.server.mcpUrl, 'user', user().password), /sign-in refused/);
  await own.goto(`${ctx.server.origin}/account`);
  assert.equal(await own.title(), 'Sign in · Todo Manager', 'the console session ended too');

  await Promise.all([page.waitForURL(/notice=/), page.getByRole('button', { name: 'Enable user' }).click()]);
  assert.match(String(await page.getByRole('status').textContent()), /Enabled user/);
  const again = await connectWithOAuth(ctx.server.mcpUrl, 'user', user().password);
  assert.equal((await call(again.client, 'whoami')).isError, false);
  await page.goto(`${ctx.server.origin}/admin/audit?actor=admin&action=update`);
  const details = await page.locator('tbody tr td:last-child').allTextContents();
  assert.deepEqual(details.slice(0, 2), ['console:enable-account', 'console:disable-account']);
  await Promise.all([client.close(), again.client.close()]);
  await Promise.all([context.close(), own.context().close()]);
});

test('console:admin-demote an admin adds an admin, then demotes them, and their admin-only call stops; both are audited', async (t) => {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await signInToConsole(context, ctx.server.origin, admin(), '/admin/accounts');
  await page.getByLabel('Username').fill('carol');
  await page.getByLabel('Role', { exact: true }).selectOption('admin');
  await Promise.all([page.waitForURL(/notice=/), page.getByRole('button', { name: 'Add account' }).click()]);
  assert.match(String(await page.getByRole('status').textContent()), /Added carol \(admin\)/);
  const password = (await page.locator('#one-time-password').textContent()) ?? '';
  await screenshot(page, 'admin-accounts-added');
  await page.reload();
  assert.equal(await page.locator('#one-time-password').count(), 0, 'the password is shown once');

  const { client, oauth } = await connectWithOAuth(ctx.server.mcpUrl, 'carol', password);
  assert.equal((await call(client, 'get-todos', { ownerId: userId() })).isError, false);
  await page.getByLabel('Role of carol', { exact: true }).selectOption('user');
  const since = performance.now();
  await Promise.all([
    page.waitForURL(/notice=/),
    page.getByRole('button', { name: 'Set role of carol' }).click(),
  ]);
  const refused = await untilRefused(since, () => call(client, 'get-todos', { ownerId: userId() }));
  t.diagnostic(
    `demotion to first refused admin-only call: ${refused.elapsedMs} ms (${refused.refusal.slice(0, 80)})`,
  );
  assert.match(String(await page.getByRole('status').textContent()), /carol is now user/);
  await screenshot(page, 'admin-accounts');

  await page.goto(`${ctx.server.origin}/admin/audit?actor=admin&action=update`);
  const details = await page.locator('tbody tr td:last-child').allTextContents();
  assert.deepEqual(details.slice(0, 2), ['console:set-role user', 'console:add-account admin']);
  await screenshot(page, 'admin-audit');
  await page.goto(`${ctx.server.origin}/admin/clients`);
  assert.match(
    (await page.getByRole('row', { name: String(oauth.clientInformation()?.client_id) }).textContent()) ?? '',
    /dynamic/,
  );
  await screenshot(page, 'admin-clients');
  await client.close();
  await context.close();
});

const ADMIN_PAGES = [
  '/admin',
  '/admin/accounts',
  '/admin/clients',
  '/admin/audit',
  '/admin/grants?account=x',
  '/admin/x',
];
const ADMIN_ACTIONS = [
  '/admin/accounts/add',
  '/admin/accounts/role',
  '/admin/accounts/reset-password',
  '/admin/accounts/remove',
  '/admin/accounts/disable',
  '/admin/accounts/enable',
  '/admin/grants/revoke',
  '/admin/clients/revoke',
  '/admin/clients/delete',
];

test('console:admin-forbidden a user account gets 403 on every /admin page and every /admin action', async () => {
  const context = await browser.newContext();
  const page = await signInToConsole(context, ctx.server.origin, user());
  const csrf = await csrfOf(page);
  for (const path of ADMIN_PAGES) {
    const response = await page.goto(`${ctx.server.origin}${path}`);
    assert.equal(response?.status(), 403, path);
  }
  assert.equal(await page.getByRole('alert').textContent(), 'This page is for administrators.');
  await screenshot(page, 'admin-forbidden');
  const form = { csrf, account: userId(), role: 'admin', username: 'mallory', client: 'x', grant: 'x' };
  for (const path of ADMIN_ACTIONS) {
    const response = await context.request.post(`${ctx.server.origin}${path}`, {
      form,
      headers: { origin: ctx.server.origin },
      maxRedirects: 0,
    });
    assert.equal(response.status(), 403, path);
  }
  await context.close();
});

test('console:csrf-origin console form posts without the session token or from another Origin are refused, and change nothing', async () => {
  const context = await browser.newContext();
  const page = await signInToConsole(context, ctx.server.origin, admin(), '/admin/accounts');
  const csrf = await csrfOf(page);
  const post = (path: string, form: Record<string, string>, origin = ctx.server.origin) =>
    context.request.post(`${ctx.server.origin}${path}`, { form, headers: { origin }, maxRedirects: 0 });
  const add = { username: 'mallory', role: 'admin' };
  assert.equal((await post('/admin/accounts/add', add)).status(), 403, 'no token');
  assert.equal(
    (await post('/admin/accounts/add', { ...add, csrf: `${csrf}x` })).status(),
    403,
    'a wrong token',
  );
  assert.equal((await post('/admin/accounts/add', { ...add, csrf }, 'http://evil.example')).status(), 403);
  assert.equal((await post('/account/sign-out-everywhere', { csrf }, 'http://evil.example')).status(), 403);
  await page.reload();
  assert.equal(await page.getByRole('row', { name: /mallory/ }).count(), 0);
  assert.equal(await page.title(), 'Accounts · Todo Manager', 'still signed in');
  // The same post with the token and our Origin goes through: the refusals above were the checks.
  assert.equal((await post('/admin/accounts/add', { ...add, csrf })).status(), 303);
  await page.reload();
  assert.equal(await page.getByRole('row', { name: /mallory/ }).count(), 1);
  await context.close();
});
