import { type ChildProcess, spawn } from 'node:child_process';
import { collectOutput } from './child-output.js';

/** A server started with the real CLI (`serve`) in its own process, as deployments run it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** The port it listens on, as its "listening" log line reports it (give it PORT=0). */
  readonly port: number;
  /** Everything it printed to stdout so far. */
  output(): string;
  /** Everything it printed to stderr so far. */
  errorOutput(): string;
  /** Sends a signal and waits for the process to end; resolves with its exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const { exited } = output;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`no "listening" within ${timeoutMs} ms:\n${output.stdout()}\n${output.stderr()}`)),
      timeoutMs,
    );
    const check = () => {
      if (!output.stdout().includes('"msg":"listening"')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited early:\n${output.stdout()}\n${output.stderr()}`));
    });
  });
  const listening = /"msg":"listening".*"address":"[^"]*:(\d+)"/.exec(output.stdout());
  return {
    child,
    port: Number(listening?.[1]),
    output: output.stdout,
    errorOutput: output.stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
