import { after, before } from 'node:test';
import type { ConfigInput } from '../../src/config/load-config.js';
import { type RunningServer, type StartOptions, startServer, startServerWithIssuer } from './start-server.js';
import type { TestIssuer, TestIssuerOptions } from './test-issuer.js';

/** Settings, or a function that prepares them once the `before` hook runs (after making a database, say). */
export type Settings = ConfigInput | (() => ConfigInput | Promise<ConfigInput>);

/**
 * What the hooks start, read inside tests. Node 20 starts the `before` hooks of a file's top level
 * together, so a top-level `before` of the file's own that needs the server awaits `ready` first.
 */
interface Started {
  /** Settles once the server is up (rejects if it failed to start). */
  readonly ready: Promise<void>;
}

/** The server of a test file or suite, started by its `before` hook and closed by its `after` hook. */
export interface ServerHandle extends Started {
  readonly server: RunningServer;
  /** Restarts the server on the same database and address (`frontDoor` only); `server` is the new one after. */
  restart(): Promise<RunningServer>;
}

/** A test issuer and the server that validates its tokens, started and closed by the hooks. */
export interface ServerWithIssuerHandle extends Started {
  readonly issuer: TestIssuer;
  readonly server: RunningServer;
}

/** Starts something in a `before` hook and closes it in an `after` hook of the current file or suite. */
function startedInHooks<T extends { close(): Promise<void> }>(start: () => Promise<T>) {
  let current: T | undefined;
  let outcome: { resolve(): void; reject(error: unknown): void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    outcome = { resolve, reject };
  });
  // The hook itself reports a failed start; this keeps `ready`, if no one awaits it, from going unhandled.
  ready.catch(() => {});
  before(async () => {
    try {
      current = await start();
      outcome?.resolve();
    } catch (error) {
      outcome?.reject(error);
      throw error;
    }
  });
  after(async () => {
    await current?.close();
  });
  return {
    ready,
    get(): T {
      if (current === undefined) throw new Error('the server starts in a before hook; read it inside a test');
      return current;
    },
    replace(next: T): void {
      current = next;
    },
  };
}

const settingsOf = async (settings: Settings): Promise<ConfigInput> =>
  typeof settings === 'function' ? settings() : settings;

/**
 * Runs the app with the embedded authorization server (and its first accounts) for the tests of the
 * current file or `describe`, started before the first and closed after the last.
 */
export function useServer(settings: Settings = {}, options: StartOptions = {}): ServerHandle {
  const started = startedInHooks(async () => startServer(undefined, await settingsOf(settings), options));
  return {
    ready: started.ready,
    get server() {
      return started.get();
    },
    async restart() {
      const next = await started.get().restart();
      started.replace(next);
      return next;
    },
  };
}

/**
 * Runs a test issuer and the app validating its tokens for the tests of the current file or
 * `describe`, started before the first and closed after the last.
 */
export function useServerWithIssuer(
  settings: Settings = {},
  issuerOptions: TestIssuerOptions = {},
): ServerWithIssuerHandle {
  const started = startedInHooks(async () =>
    startServerWithIssuer(await settingsOf(settings), issuerOptions),
  );
  return {
    ready: started.ready,
    get issuer() {
      return started.get().issuer;
    },
    get server() {
      return started.get().server;
    },
  };
}
