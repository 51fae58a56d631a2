import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withInstallLock } from './install-lock.js';
import { CLIENTS_CACHE } from './python-sdk.js';
import { type ProcessResult, runOrThrow, runProcess } from './run-process.js';

/** The MCP Inspector release the client tests run, pinned: a new release is reviewed first. */
export const INSPECTOR_VERSION = '2.12.0';
/** The Inspector asks for Node 22.19 or newer; the project runs on 20, so a Node 22 binary comes from npm. */
const NODE_MAJOR = 22;

const PREFIX = join(CLIENTS_CACHE, 'inspector');
const MODULES = join(PREFIX, 'node_modules');

export interface Inspector {
  /** The Node 22 executable that runs it. */
  readonly node: string;
  /** Its launcher (`mcp-inspector`): `--cli …` or `--web …`. */
  readonly launcher: string;
}

function nodePackage(): string {
  if (process.platform !== 'linux' && process.platform !== 'darwin')
    throw new Error(`no Node ${NODE_MAJOR} binary package is known for ${process.platform}`);
  return `node-${process.platform}-${process.arch}`;
}

function versionOf(packageDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string })
      .version;
  } catch {
    return undefined;
  }
}

function locate(): Inspector | undefined {
  const node = join(MODULES, nodePackage(), 'bin', 'node');
  const packageDir = join(MODULES, '@modelcontextprotocol', 'inspector');
  const launcher = join(packageDir, 'clients', 'launcher', 'build', 'index.js');
  const nodeVersion = versionOf(join(MODULES, nodePackage()));
  if (!existsSync(node) || !existsSync(launcher) || !nodeVersion?.startsWith(`${NODE_MAJOR}.`))
    return undefined;
  return versionOf(packageDir) === INSPECTOR_VERSION ? { node, launcher } : undefined;
}

/**
 * The pinned Inspector and a Node 22 to run it, in `.cache/clients/inspector/`, installed from
 * the npm registry the first time (one test file at a time installs). Its install scripts are
 * skipped: they only set up a source checkout, and the published build needs none.
 */
export async function ensureInspector(): Promise<Inspector> {
  const found = locate();
  if (found !== undefined) return found;
  return withInstallLock(join(CLIENTS_CACHE, 'inspector.lock'), async () => {
    const again = locate();
    if (again !== undefined) return again;
    await runOrThrow(
      'npm',
      [
        'install',
        '--prefix',
        PREFIX,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        // The Inspector declares Node 22 engines while npm itself runs on the project's Node 20.
        '--engine-strict=false',
        `${nodePackage()}@${NODE_MAJOR}`,
        `@modelcontextprotocol/inspector@${INSPECTOR_VERSION}`,
      ],
      { env: process.env, timeoutMs: 8 * 60_000 },
    );
    const installed = locate();
    if (installed === undefined)
      throw new Error(`the install into ${PREFIX} did not yield a usable Inspector`);
    return installed;
  });
}

/**
 * The environment the Inspector runs in: its own home folder, so that its catalog and stored
 * OAuth state (`~/.mcp-inspector/`) stay out of the user's; secrets in memory, since a test
 * machine has no keychain; nothing opens a browser.
 */
export function inspectorEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    BROWSER: 'true',
    MCP_AUTO_OPEN_ENABLED: 'false',
    MCP_INSPECTOR_SECRET_STORE: 'memory',
    ...extra,
  };
}

/**
 * For the Inspector's own OAuth sign-in: without a terminal it signs in only when it may "open a
 * browser" (`BROWSER=true` makes that a no-op, and it prints the URL too), and its tokens go to
 * a file in `home` so that a later run can use them.
 */
export function inspectorOAuthEnv(home: string): NodeJS.ProcessEnv {
  return inspectorEnv(home, { MCP_AUTO_OPEN_ENABLED: 'true', MCP_INSPECTOR_SECRET_STORE: 'file' });
}

/** Runs `mcp-inspector --cli <args>` to its end. */
export function runInspectorCli(
  inspector: Inspector,
  home: string,
  args: readonly string[],
  timeoutMs = 60_000,
  env = inspectorEnv(home),
): Promise<ProcessResult> {
  return runProcess(inspector.node, [inspector.launcher, '--cli', ...args], { env, timeoutMs });
}
