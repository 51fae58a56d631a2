import type { ChildProcess } from 'node:child_process';

/** What a child process printed so far, and its end. */
export interface ChildOutput {
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<number | string | null>;
}

/** Collects a spawned child's standard output and error as text, and watches for its exit. */
export function collectOutput(child: ChildProcess): ChildOutput {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { stdout: () => stdout, stderr: () => stderr, exited };
}
