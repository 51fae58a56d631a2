import { spawn } from 'node:child_process';
import type { ProcessResult, RunOptions } from './run-process.js';

/** A child process whose output a test waits on while it runs. */
export interface WatchedProcess {
  /** Resolves with the first match in stdout + stderr; rejects on timeout or if the process ends first. */
  waitFor(pattern: RegExp, what: string, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves when the process has ended, with everything it printed. */
  readonly exited: Promise<ProcessResult>;
  output(): string;
  /** Ends it (SIGTERM, then SIGKILL after 3 s) and waits for that. */
  stop(): Promise<ProcessResult>;
}

/** Starts a program and watches what it prints, for programs that print what a test must act on. */
export function startWatched(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): WatchedProcess {
  const { env, cwd, stdin, timeoutMs = 120_000 } = options;
  const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let done: ProcessResult | undefined;
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const waker of wakers) waker();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    wake();
  });
  const limit = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exited = new Promise<ProcessResult>((resolve) => {
    const finish = (code: number | null) => {
      clearTimeout(limit);
      done = { code, stdout, stderr, timedOut };
      resolve(done);
      wake();
    };
    child.on('close', finish);
    child.on('error', (error) => {
      stderr += `\n(could not run ${command}: ${error.message})`;
      finish(null);
    });
  });
  child.stdin.on('error', () => {});
  if (stdin === undefined) child.stdin.end();
  else child.stdin.end(stdin);
  const output = () => `${stdout}\n${stderr}`;

  return {
    exited,
    output,
    waitFor(pattern, what, waitMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => settle(() => reject(new Error(`timed out waiting for ${what}\n${output()}`))),
          waitMs,
        );
        const settle = (how: () => void) => {
          clearTimeout(timer);
          wakers.delete(check);
          how();
        };
        const check = () => {
          const match = pattern.exec(output());
          if (match) settle(() => resolve(match));
          else if (done)
            settle(() => reject(new Error(`${command} ended (${done?.code}) before ${what}\n${output()}`)));
        };
        wakers.add(check);
        check();
      });
    },
    async stop() {
      if (done) return done;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
      const result = await exited;
      clearTimeout(kill);
      return result;
    },
  };
}
