import type { CliIo, ShutdownSignal } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FakeIoOptions {
  /** The whole environment: nothing of the test process's own reaches the command. */
  readonly env?: Record<string, string>;
  readonly stdin?: string;
  /** By default a server that starts is stopped at once: no test hangs on a server it did not expect. */
  readonly onShutdownSignal?: CliIo['onShutdownSignal'];
  /** Where output goes instead of the captured text, for a test of a failing terminal. */
  readonly stdout?: CliIo['stdout'];
}

function fakeIo(options: FakeIoOptions = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: options.env ?? {},
    stdout: options.stdout ?? { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    readStdin: async () => options.stdin ?? '',
    onShutdownSignal: options.onShutdownSignal ?? ((handler) => handler('SIGTERM')),
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the CLI in this process, as `todo-manager <argv>` would in its own. */
export async function cli(argv: readonly string[], options: FakeIoOptions = {}): Promise<CliRun> {
  const fake = fakeIo(options);
  const code = await runCli(argv, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** Starts `serve` in this process; `stop` plays the part of SIGTERM or SIGINT. */
export function serve(env: Record<string, string>) {
  const handlers: ((signal: ShutdownSignal) => void)[] = [];
  let markListening = () => {};
  const listening = new Promise<void>((resolve) => {
    markListening = resolve;
  });
  const fake = fakeIo({
    env,
    onShutdownSignal: (handler) => {
      handlers.push(handler);
      markListening();
    },
  });
  const exited = runCli(['serve'], fake.io);
  const early = exited.then((code) => {
    throw new Error(`serve exited early with ${code}:\n${fake.stdout()}\n${fake.stderr()}`);
  });
  return {
    listening: Promise.race([listening, early]),
    exited,
    stop: (signal: ShutdownSignal) => {
      for (const handler of handlers) handler(signal);
    },
    stdout: fake.stdout,
    stderr: fake.stderr,
    /** The port the server bound, from its "listening" line. */
    port: () => Number(/"msg":"listening".*"address":"[^"]*:(\d+)"/.exec(fake.stdout())?.[1]),
  };
}
