import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  ChildMessage,
  ChildOptions,
  MemoryReading,
  OfferedScenario,
  ParentMessage,
  RequestSpec,
} from './protocol.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where `tsconfig.build.json` puts the compiled children (inside the checkout, near node_modules). */
const BUILD_DIR = join(REPO_ROOT, '.cache', 'bench-js');
const CHILD_SCRIPT = join(BUILD_DIR, 'scripts', 'bench', 'child.js');

/**
 * Compiles the server children, and the server itself, to JavaScript with tsc: the servers run
 * under plain `node` as a deployment runs `node dist/src/cli.js serve`, without a TypeScript
 * loader in the process (tsx's own thread and caches weigh about 40 MiB, more with more files).
 */
export function buildChildren(): void {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'scripts/bench/tsconfig.build.json'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
}

/** Every child still running, so that any exit of the parent can kill them. */
const live = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export interface ServerChild {
  readonly name: string;
  readonly pid: number;
  readonly notes: readonly string[];
  scenario(id: string): RequestSpec;
  /** The child's resident set size and heap after full GCs, in bytes. */
  memory(): Promise<MemoryReading>;
  stop(): Promise<void>;
}

/**
 * Starts a server child (the compiled `child.ts`, with `--expose-gc`) and waits until it reports
 * ready, failing after `readyTimeoutMs`, with `nodeFlags` for Node and V8 if any. Its stderr is
 * passed on with its name in front. With a `profileDir` the child writes a CPU profile of its main
 * thread into `<profileDir>/<name>/` when it stops.
 */
export function startChild(
  name: string,
  options: ChildOptions,
  readyTimeoutMs: number,
  profileDir?: string,
  nodeFlags: readonly string[] = [],
): Promise<ServerChild> {
  const profiling =
    profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`];
  const child = fork(CHILD_SCRIPT, [JSON.stringify(options)], {
    cwd: REPO_ROOT,
    execArgv: ['--expose-gc', ...nodeFlags, ...profiling],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let pending = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) process.stderr.write(`[${name}] ${line}\n`);
  });

  const nextMessage = <T extends ChildMessage['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'failed') {
          cleanup();
          reject(new Error(`${name} failed: ${message.message}`));
        } else if (message.type === type) {
          cleanup();
          resolve(message as Extract<ChildMessage, { type: T }>);
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`${name} exited (${signal ?? code}) before sending ${type}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${name} sent no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const tell = (message: ParentMessage) => child.send(message);

  return nextMessage('ready', readyTimeoutMs).then(
    (ready) => {
      const scenarios = new Map<string, OfferedScenario>(ready.scenarios.map((s) => [s.id, s]));
      return {
        name,
        pid: child.pid ?? -1,
        notes: ready.notes,
        scenario(id) {
          const offered = scenarios.get(id);
          if (offered === undefined) throw new Error(`${name} offers no scenario ${id}`);
          return offered.request;
        },
        async memory() {
          const answer = nextMessage('memory', 30_000);
          tell({ type: 'memory' });
          const { type: _, ...reading } = await answer;
          return reading;
        },
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          tell({ type: 'stop' });
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      };
    },
    (error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
}
