import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './start-server.js';

/** A JSON-RPC 2.0 response as it came back over the bridge's stdout. */
export interface JsonRpcResponse {
  readonly jsonrpc: '2.0';
  readonly id: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string; data?: unknown };
}

/** A running `mcp-remote` child: its printed sign-in URL, its callback and its stdio MCP side. */
export interface McpRemote {
  /** The redirect URI it registered: its own callback server on 127.0.0.1. */
  readonly redirectUrl: string;
  /** Where it keeps client registrations and tokens (its `MCP_REMOTE_CONFIG_DIR`). */
  readonly configDir: string;
  /** The authorization URL it printed on stderr for a person to open. */
  authorizationUrl(): Promise<URL>;
  /**
   * Delivers the authorization response where the browser would: a GET to its callback server,
   * once that server is listening (it starts only after the URL is printed).
   */
  deliverCallback(query: URLSearchParams): Promise<Response>;
  /** Resolves once it reports the stdio ↔ HTTP proxy as established. */
  established(): Promise<void>;
  /** Sends a JSON-RPC request line on stdin and waits for the response line with the same id. */
  request(method: string, params?: Record<string, unknown>): Promise<JsonRpcResponse>;
  /** Sends a JSON-RPC notification line on stdin. */
  notify(method: string, params?: Record<string, unknown>): void;
  /** Everything it wrote to stderr so far, for failure messages. */
  stderr(): string;
  /** Kills the child and removes its config folder. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The bridge's entry point, found through its package so a missing install fails loudly. */
function proxyEntry(): string {
  return join(dirname(require.resolve('mcp-remote/package.json')), 'dist', 'proxy.js');
}

/**
 * The child's environment: only what it needs. `BROWSER=true` makes the `xdg-open` it calls
 * succeed without opening anything, and the desktop variables are left out so `xdg-open`
 * takes its generic path, which is the one that honours `BROWSER`.
 */
function childEnv(configDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: configDir,
    MCP_REMOTE_CONFIG_DIR: configDir,
    BROWSER: 'true',
  };
}

/**
 * Starts `node …/mcp-remote/dist/proxy.js <mcpUrl> <callbackPort> --host 127.0.0.1` as a desktop
 * client would, with a fresh config folder, and waits for nothing yet: the sign-in is the caller's.
 */
export async function startMcpRemote(mcpUrl: string, timeoutMs = 15_000): Promise<McpRemote> {
  const configDir = await mkdtemp(join(tmpdir(), 'mcp-remote-test-'));
  const callbackPort = await freePort();
  const redirectUrl = `http://127.0.0.1:${callbackPort}/oauth/callback`;
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [proxyEntry(), mcpUrl, String(callbackPort), '--host', '127.0.0.1', '--auth-timeout', '30'],
    { env: childEnv(configDir), stdio: 'pipe' },
  );

  let errorText = '';
  const responses = new Map<number, (response: JsonRpcResponse | undefined) => void>();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const stderrWaiters = new Set<() => void>();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errorText += chunk;
    for (const wake of stderrWaiters) wake();
  });
  const onGone = (code: number | null, signal: NodeJS.Signals | null) => {
    exit = { code, signal };
    for (const wake of stderrWaiters) wake();
    for (const pending of responses.values()) pending(undefined);
  };
  child.on('exit', onGone);
  child.on('error', (error) => {
    errorText += `\n(could not run mcp-remote: ${error.message})`;
    onGone(null, null);
  });

  const describe = () => `mcp-remote stderr:\n${errorText.slice(-4000)}`;

  /** Resolves with the first match of `pattern` in stderr, or rejects on timeout or exit. */
  const waitForStderr = (pattern: RegExp, what: string) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(errorText);
        if (match) return finish(() => resolve(match));
        if (exit)
          return finish(() =>
            reject(new Error(`mcp-remote exited (${exit?.code}) before ${what}\n${describe()}`)),
          );
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out waiting for ${what}\n${describe()}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        stderrWaiters.delete(check);
        settle();
      };
      stderrWaiters.add(check);
      check();
    });

  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    const id = (message as { id?: unknown }).id;
    if (typeof id === 'number') responses.get(id)?.(message as JsonRpcResponse);
  });

  // A write after the child died fails with EPIPE; the pending request reports the exit instead.
  child.stdin.on('error', () => {});
  const send = (message: Record<string, unknown>) => {
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  };
  let nextId = 1;

  return {
    redirectUrl,
    configDir,
    async authorizationUrl() {
      const match = await waitForStderr(
        /Please authorize this client by visiting:\s*\n(\S+)/,
        'the authorization URL',
      );
      return new URL(match[1] ?? '');
    },
    async deliverCallback(query) {
      await waitForStderr(
        new RegExp(`OAuth callback server running at http://127\\.0\\.0\\.1:${callbackPort}\\b`),
        'the callback server',
      );
      return fetch(`${redirectUrl}?${query}`, { signal: AbortSignal.timeout(timeoutMs) });
    },
    async established() {
      await waitForStderr(/Proxy established successfully/, 'the proxy to be established');
    },
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          responses.delete(id);
          reject(new Error(`no answer to ${method} within ${timeoutMs} ms\n${describe()}`));
        }, timeoutMs);
        responses.set(id, (response) => {
          clearTimeout(timer);
          responses.delete(id);
          if (response === undefined)
            reject(new Error(`mcp-remote exited before answering ${method}\n${describe()}`));
          else resolve(response);
        });
        if (exit) responses.get(id)?.(undefined);
        else send({ id, method, ...(params && { params }) });
      });
    },
    notify(method, params) {
      send({ method, ...(params && { params }) });
    },
    stderr: () => errorText,
    async close() {
      lines.close();
      if (exit === undefined) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(configDir, { recursive: true, force: true });
    },
  };
}
