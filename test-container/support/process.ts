import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { collectOutput } from '../../test/support/child-output.js';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time the command took. */
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  /** Past this the command is killed (SIGTERM, then SIGKILL 5 s later) and the run rejects. */
  readonly timeoutMs: number;
}

/** Runs a command to its end and collects its output; a command that overruns its time is killed. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const output = collectOutput(child);
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        code,
        signal,
        stdout: output.stdout(),
        stderr: output.stderr(),
        ms: performance.now() - started,
      };
      if (isTimedOut) {
        reject(new Error(`${command} ${args.join(' ')} took over ${options.timeoutMs} ms:\n${tail(result)}`));
      } else resolve(result);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like run(), but a non-zero exit rejects with the command's last output. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${tail(result)}`,
    );
  }
  return result;
}

/** The last lines of a run's output, for failure messages. */
export function tail(result: Pick<RunResult, 'stdout' | 'stderr'>, lines = 40): string {
  const last = (text: string) => text.trimEnd().split('\n').slice(-lines).join('\n');
  return `--- stdout\n${last(result.stdout)}\n--- stderr\n${last(result.stderr)}`;
}

/**
 * Polls `probe` every 100 ms until it returns a value other than `undefined`, and returns that
 * value; rejects after `timeoutMs`, or as soon as `probe` throws.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** GET /healthz: the status code, or `undefined` while nothing answers. */
export async function healthStatus(origin: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

/** Milliseconds as seconds with one decimal, for the timings a test reports. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
