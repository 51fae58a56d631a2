import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withInstallLock } from './install-lock.js';
import { runOrThrow, runProcess } from './run-process.js';

/** The Python MCP SDK release the client tests run, pinned: a new release is reviewed first. */
export const PYTHON_MCP_VERSION = '2.3.0';

/** Git-ignored: shared by the client tests, installed on first use. */
export const CLIENTS_CACHE = fileURLToPath(new URL('../../.cache/clients/', import.meta.url));
const VENV = join(CLIENTS_CACHE, 'python-venv');
const PYTHON = join(VENV, 'bin', 'python');
const SCRIPTS = fileURLToPath(new URL('../clients/python/', import.meta.url));

/**
 * The local package index this kind of machine carries: pip's default index is out of reach
 * here and pip would spend minutes retrying it. Elsewhere pip uses its default index.
 */
const LOCAL_INDEXES = ['/opt/pypi/simple', '/opt/pypi-more/simple'];

async function installedVersion(): Promise<string | undefined> {
  if (!existsSync(PYTHON)) return undefined;
  const probe = await runProcess(PYTHON, ['-c', "import importlib.metadata as m; print(m.version('mcp'))"], {
    timeoutMs: 60_000,
  });
  return probe.code === 0 ? probe.stdout.trim() : undefined;
}

function indexArgs(): string[] {
  const [primary, ...extra] = LOCAL_INDEXES.filter((dir) => existsSync(dir));
  if (primary === undefined) return [];
  return [
    '--index-url',
    `file://${primary}`,
    ...extra.flatMap((dir) => ['--extra-index-url', `file://${dir}`]),
  ];
}

async function createVenv(): Promise<void> {
  const python3 = process.env.PYTHON3 ?? 'python3';
  const made = await runProcess(python3, ['-m', 'venv', '--clear', VENV], { timeoutMs: 120_000 });
  if (made.code === 0) return;
  if (/ensurepip|venv/.test(made.stderr + made.stdout))
    throw new Error(
      `${python3} cannot create a virtual environment: install python3-venv ` +
        `(Debian: apt-get install python3-venv; npm test's pretest does it when run as root)\n${made.stdout}${made.stderr}`,
    );
  throw new Error(`${python3} -m venv exited ${made.code}\n${made.stdout}${made.stderr}`);
}

/**
 * The Python interpreter of a virtual environment under `.cache/clients/` holding `mcp` at the
 * pinned version, created and installed the first time (one test file at a time installs it).
 */
export async function ensurePythonSdk(): Promise<string> {
  if ((await installedVersion()) === PYTHON_MCP_VERSION) return PYTHON;
  return withInstallLock(join(CLIENTS_CACHE, 'python-venv.lock'), async () => {
    if ((await installedVersion()) === PYTHON_MCP_VERSION) return PYTHON;
    await createVenv();
    await runOrThrow(
      PYTHON,
      [
        '-m',
        'pip',
        'install',
        '--no-input',
        '--disable-pip-version-check',
        ...indexArgs(),
        `mcp==${PYTHON_MCP_VERSION}`,
      ],
      { env: process.env, timeoutMs: 8 * 60_000 },
    );
    const version = await installedVersion();
    if (version !== PYTHON_MCP_VERSION)
      throw new Error(`installed mcp ${version}, wanted ${PYTHON_MCP_VERSION}`);
    return PYTHON;
  });
}

/** One step of a plan for `todo_client.py`. */
export type PythonStep =
  | { readonly op: 'list_tools' }
  | { readonly op: 'call'; readonly tool: string; readonly args?: Record<string, unknown> }
  | { readonly op: 'expire_tokens' };

export interface PythonPlan {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly mode: 'legacy' | '2026-07-28';
  readonly steps: readonly PythonStep[];
}

/** A page the headless browser was shown during one authorization. */
export interface SignInPage {
  readonly kind: 'sign-in' | 'consent';
  readonly granted?: string[];
  readonly refused?: string[];
}

/** What a step ended with, plus the access token's fingerprint and scope after it. */
export interface PythonStepOutcome {
  readonly tools?: string[];
  readonly ttl_ms?: number | null;
  readonly cache_scope?: string | null;
  readonly is_error?: boolean;
  readonly structured?: Record<string, unknown> | null;
  readonly texts?: string[];
  readonly mcp_error?: { code: number; message: string };
  readonly token: string | null;
  readonly scope: string | null;
}

export interface PythonReport {
  /** Each time the SDK sent the person to sign in: the scope it asked for, the pages shown. */
  readonly authorizations: { scope: string | null; pages: SignInPage[] }[];
  /** Every request the SDK made to the token endpoint, by grant type. */
  readonly token_requests: { grant_type: string | null }[];
  readonly steps: PythonStepOutcome[];
}

/** Runs a plan through `test/clients/python/todo_client.py` and returns its report. */
export async function runPythonPlan(
  python: string,
  plan: PythonPlan,
  timeoutMs = 60_000,
): Promise<PythonReport> {
  const result = await runProcess(python, [join(SCRIPTS, 'todo_client.py')], {
    stdin: JSON.stringify(plan),
    timeoutMs,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
  });
  if (result.code !== 0)
    throw new Error(
      `todo_client.py exited ${result.code}${result.timedOut ? ' (timed out)' : ''}\n${result.stderr}`,
    );
  return JSON.parse(result.stdout) as PythonReport;
}
