import { spawn } from 'node:child_process';
import { collectOutput } from './child-output.js';

export interface ProcessResult {
  /** The exit code, or `null` when a signal ended it (a timeout kills it). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly stdin?: string;
  /** Kills the process (SIGKILL) after this long; the result says so. */
  readonly timeoutMs?: number;
}

/** Runs a program to its end and keeps what it printed; never rejects for a non-zero exit. */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}) {
  const { env, cwd, stdin = '', timeoutMs = 120_000 } = options;
  return new Promise<ProcessResult>((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const output = collectOutput(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: output.stdout(), stderr: output.stderr(), timedOut });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
  });
}

/** Like `runProcess`, but throws with the output unless the program exits 0. */
export async function runOrThrow(command: string, args: readonly string[], options: RunOptions = {}) {
  const result = await runProcess(command, args, options);
  if (result.code !== 0) {
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs ?? 120_000} ms`
      : `exited ${result.code}`;
    throw new Error(
      `${command} ${args.join(' ')} ${why}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
    );
  }
  return result;
}
