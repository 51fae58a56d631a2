/** Text written somewhere: the process's stdout or stderr, or a string a test reads. */
export interface TextOutput {
  write(text: string): unknown;
}

/** The signals that stop a server: SIGTERM from a service manager, SIGINT from Ctrl-C. */
export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/**
 * All that a command may use of the process it runs in. Only `src/cli.ts` builds one from
 * `process`; tests pass their own and run the commands in-process.
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  /** The whole of standard input, as UTF-8 text. */
  readStdin(): Promise<string>;
  /** Calls `handler` on every shutdown signal from now on. */
  onShutdownSignal(handler: (signal: ShutdownSignal) => void): void;
}
