import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { ensureInspector, type Inspector, inspectorEnv } from '../support/inspector.js';
import { listedToolNames } from '../support/mcp-client.js';
import { connectWithOAuth } from '../support/oauth-client.js';
import { freePort } from '../support/start-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { useServer } from '../support/use-server.js';
import { startWatched } from '../support/watched-process.js';

/** Debian's Chromium, installed by the pretest; never a downloaded browser. */
/** Git-ignored: screenshots a person can look at after the run. */
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

const ctx = useServer();
const home = useTempDir('inspector-web-');
let inspector: Inspector;
let browser: Browser;
let userToken = '';

before(
  async () => {
    await ctx.ready;
    inspector = await ensureInspector();
    const { client, oauth } = await connectWithOAuth(ctx.server.mcpUrl, 'user', ctx.server.password('user'));
    await client.close();
    userToken = oauth.tokens()?.access_token ?? '';
    await mkdir(OUTPUT, { recursive: true });
    browser = await launchChromium();
  },
  { timeout: 10 * 60_000 },
);
after(async () => {
  await browser?.close();
});

/**
 * Starts the Inspector's web UI for our server with the user's token as a static header. Its web
 * server needs a fixed port (its origin allow-list derives from it); its MCP Apps sandbox and app
 * origin take ports the system picks.
 */
async function startWebUi(era: 'legacy' | 'modern') {
  const port = await freePort();
  const web = startWatched(
    inspector.node,
    [
      inspector.launcher,
      '--web',
      '--transport',
      'http',
      '--server-url',
      ctx.server.mcpUrl,
      '--header',
      `Authorization: Bearer ${userToken}`,
      '--protocol-era',
      era,
    ],
    {
      env: inspectorEnv(home(), {
        CLIENT_PORT: String(port),
        MCP_SANDBOX_PORT: '0',
        MCP_APP_ORIGIN_PORT: '0',
      }),
      timeoutMs: 120_000,
    },
  );
  const [, url = ''] = await web.waitFor(/up and running at:\s+(\S+)/, 'the web UI', 60_000);
  return { web, url };
}

for (const [era, version] of [
  ['legacy', '2025-11-25'],
  ['modern', '2026-07-28'],
] as const) {
  test(`client:inspector-web (${era}) the web UI shows a tool error's code and message, not an invalid-parameters complaint`, async (t) => {
    const { web, url } = await startWebUi(era);
    t.after(() => web.stop());
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(url);

    // The switch's own label covers its input, so the check is forced onto the input.
    await page.getByRole('switch', { name: /Connect or disconnect/ }).check({ force: true });
    await page.getByText('Connected', { exact: true }).waitFor();
    await page.getByText(`MCP ${version}`, { exact: true }).waitFor();
    await page.getByText('Tools', { exact: true }).click();
    await page.getByText(`Tools (${listedToolNames('create:todos').length})`).waitFor();
    assert.equal(
      await page.getByText('get-audit-events', { exact: true }).count(),
      0,
      'a user is not shown it',
    );

    await page.getByText('delete-todo', { exact: true }).click();
    await page.getByLabel(/^id/).fill('AAAAAAAAAAAAAAAAAAAAAA');
    await page.getByRole('button', { name: 'Execute Tool' }).click();
    await page.getByText('Tool Error', { exact: true }).waitFor();
    const shown = page.getByText(/"code":"not_found"/);
    await shown.waitFor();
    assert.match((await shown.textContent()) ?? '', /"message":"no such todo"/);
    const body = (await page.locator('body').textContent()) ?? '';
    assert.doesNotMatch(body, /Invalid Parameters|-32602|data must|output schema/i);

    const screenshot = `${OUTPUT}inspector-web-delete-todo-${era}.png`;
    await page.screenshot({ path: screenshot });
    t.diagnostic(`screenshot: ${screenshot}`);
  });
}
