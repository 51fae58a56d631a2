import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Account, actAsBrowser, registerPublicClient, unusedPort } from './authorization-browser.js';
import { readResults, type ScenarioName, type SetRun } from './results.js';
import { listScenarios, startSuite } from './suite-process.js';
import type { Toolchain } from './toolchain.js';

export interface AuthorizationTarget {
  /** Exactly as the metadata states it: the suite compares the two as strings. */
  readonly issuer: string;
  /** The MCP endpoint, sent as the RFC 8707 `resource` of the authorization and token requests. */
  readonly resource: string;
  readonly account: Account;
}

/** The suite waits 5 minutes for the callback; the browser step here takes about a second. */
const RUN_TIMEOUT_MS = 60_000;
/** How long the browser step may outlive the suite, which has then stopped waiting for it. */
const BROWSER_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;
const AUTHORIZATION_URL = /Access the following URL[^\n]*\n(\S+)\n/;

export async function listAuthorizationScenarios(toolchain: Toolchain): Promise<ScenarioName[]> {
  const output = await listScenarios(toolchain, ['--authorization']);
  const names = [...output.matchAll(/^\s+-\s+(\S+)/gm)].map((match) => ({ name: match[1] ?? '' }));
  if (names.length === 0) throw new Error(`the suite listed no authorization scenarios:\n${output}`);
  return names;
}

/**
 * Runs the suite's `authorization` command against the embedded authorization server: its
 * metadata, then an authorization code grant with PKCE for a client registered here, the
 * sign-in and consent done by `actAsBrowser`. A callback port taken by someone else between our
 * probe and the suite's bind is retried with a new port and a new client.
 */
export async function runAuthorization(
  toolchain: Toolchain,
  target: AuthorizationTarget,
  names: readonly ScenarioName[],
  resultsDir: string,
): Promise<SetRun> {
  const dir = join(resultsDir, 'authorization');
  let run: SetRun | undefined;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
    rmSync(dir, { recursive: true, force: true });
    run = await attemptGrant(toolchain, target, names, dir);
    if (!lostPortRace(run)) return run;
  }
  return run as SetRun;
}

const lostPortRace = (run: SetRun) =>
  run.scenarios.some((scenario) =>
    scenario.checks?.some((check) => check.errorMessage?.includes('EADDRINUSE')),
  );

async function attemptGrant(
  toolchain: Toolchain,
  target: AuthorizationTarget,
  names: readonly ScenarioName[],
  dir: string,
): Promise<SetRun> {
  const port = await unusedPort();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const clientId = await registerPublicClient(target.issuer, redirectUri);
  const options = ['--client-id', clientId, '--resource', target.resource, '-p', String(port)];
  let printed = '';
  let browser: Promise<string | undefined> | undefined;
  // The URL comes first, then "Callback server started" once the listener's bind has completed.
  // Express prints it after a failed bind too; that attempt then fails EADDRINUSE and is retried.
  const suite = startSuite(
    toolchain,
    ['authorization', '--url', target.issuer, ...options, '-o', dir],
    RUN_TIMEOUT_MS,
    (text) => {
      printed += text;
      const url = AUTHORIZATION_URL.exec(printed)?.[1];
      if (browser !== undefined || url === undefined) return;
      if (!printed.includes(`Callback server started: http://127.0.0.1:${port}`)) return;
      browser = actAsBrowser(new URL(url), redirectUri, target.account).then(
        () => undefined,
        (error: unknown) => {
          suite.stop();
          return `the browser step failed: ${error instanceof Error ? error.message : String(error)}`;
        },
      );
    },
  );
  const exit = await suite.exited;
  const problems: string[] = [];
  const browserProblem = await Promise.race([
    browser,
    new Promise<string>((resolve) =>
      setTimeout(resolve, BROWSER_GRACE_MS, 'the browser step did not finish').unref(),
    ),
  ]);
  if (browserProblem !== undefined) problems.push(browserProblem);
  if (exit.timedOut) problems.push(`the suite ran past ${RUN_TIMEOUT_MS / 1000} s and was stopped`);
  return {
    set: 'authorization',
    command:
      'conformance authorization --url <issuer> --client-id <registered at /reg> ' +
      '--resource <issuer>/mcp -p <free port> -o <results>',
    scenarios: readResults(dir, 'authorization-server-', names),
    problems,
    ...exit,
  };
}
