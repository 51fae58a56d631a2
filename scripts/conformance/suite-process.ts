import { type ChildProcess, spawn } from 'node:child_process';
import { CACHE_DIR, type Toolchain } from './toolchain.js';

export interface SuiteExit {
  readonly exitCode: number | null;
  /** Killed for running past its limit. */
  readonly timedOut: boolean;
  /** Everything it printed, stdout and stderr interleaved, without colour codes. */
  readonly output: string;
  readonly durationMs: number;
}

export interface SuiteProcess {
  readonly exited: Promise<SuiteExit>;
  stop(): void;
}

// The suite colours its output even with NO_COLOR set.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const running = new Set<ChildProcess>();
// A run that is itself stopped (its backstop timer, Ctrl-C) leaves no suite process behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Runs the suite's CLI under the Node 22 of the toolchain, killed after `timeoutMs`. `onOutput`
 * sees the output as it comes, for a caller that has to act on what the suite prints.
 */
export function startSuite(
  toolchain: Toolchain,
  args: readonly string[],
  timeoutMs: number,
  onOutput: (text: string) => void = () => {},
): SuiteProcess {
  const started = performance.now();
  const child = spawn(toolchain.node, [toolchain.cli, ...args], {
    cwd: CACHE_DIR,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let timedOut = false;
  const take = (chunk: Buffer) => {
    const text = chunk.toString('utf8').replace(ANSI, '');
    output += text;
    onOutput(text);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exited = new Promise<SuiteExit>((resolve) => {
    child.on('error', (error) => {
      output += `${error.message}\n`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ exitCode: code, timedOut, output, durationMs: performance.now() - started });
    });
  });
  return { exited, stop: () => child.kill('SIGKILL') };
}

/** The suite's `list …` output, for the scenario names a command runs. */
export async function listScenarios(toolchain: Toolchain, args: readonly string[]): Promise<string> {
  const { exitCode, output } = await startSuite(toolchain, ['list', ...args], 60_000).exited;
  if (exitCode !== 0)
    throw new Error(`conformance list ${args.join(' ')} exited with ${exitCode}:\n${output}`);
  return output;
}
