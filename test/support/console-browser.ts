import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** Where the page screenshots of a test run go (git-ignored), for a reviewer to look at. */
export const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url);

/**
 * Saves the top of the page, 800 by `height` pixels, as `test-output/screenshots/readme-<name>.png`:
 * the small picture the README shows (copied to docs/images/ when the pages change).
 */
export async function readmeScreenshot(page: Page, name: string, height: number): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = new URL(`readme-${name}.png`, SCREENSHOTS).pathname;
  await page.screenshot({ path, clip: { x: 0, y: 0, width: 800, height } });
}

/** Saves a full-page screenshot of the page as `test-output/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

/**
 * Opens a console page in a fresh browser context: the console sends the browser to sign in,
 * and back to the page asked for once signed in.
 */
export async function signInToConsole(
  context: BrowserContext,
  origin: string,
  credentials: { username: string; password: string },
  path = '/account',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  assert.equal(await page.title(), 'Sign in · Todo Manager');
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await Promise.all([
    page.waitForURL(`${origin}${path}`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return page;
}

/** The CSRF token of the signed-in session's forms, as the page carries it. */
export async function csrfOf(page: Page): Promise<string> {
  return (await page.locator('input[name=csrf]').first().getAttribute('value')) ?? '';
}

/**
 * Calls `attempt` until it is refused (throws, or answers with `isError`), and returns how long
 * that took from `since` and what the refusal said. Waits on the condition, not for a fixed time.
 */
export async function untilRefused(
  since: number,
  attempt: () => Promise<{ isError: boolean; value: unknown }>,
  timeoutMs = 30_000,
): Promise<{ elapsedMs: number; refusal: string }> {
  for (;;) {
    const refusal = await attempt().then(
      (result) => (result.isError ? JSON.stringify(result.value) : undefined),
      (error: unknown) => String(error),
    );
    const elapsedMs = Math.round(performance.now() - since);
    if (refusal !== undefined) return { elapsedMs, refusal };
    if (elapsedMs > timeoutMs) throw new Error(`still accepted ${elapsedMs} ms after the change`);
    await delay(25);
  }
}

/**
 * Reloads the page until the app row's "Last use" cell (the fifth) holds a time, and returns it
 * as shown (`YYYY-MM-DD HH:MM`, UTC): a use is written off the request path, so it appears a
 * moment after the call. Waits on the condition, not for a fixed time.
 */
export async function untilLastUseShown(page: Page, row: Locator, timeoutMs = 15_000): Promise<string> {
  const started = performance.now();
  for (;;) {
    const cell = row.locator('td').nth(4).locator('time');
    if ((await cell.count()) === 1) return (await cell.textContent()) ?? '';
    if (performance.now() - started > timeoutMs) throw new Error('no last use shown');
    await delay(50);
    await page.reload();
  }
}
