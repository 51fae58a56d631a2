import type { ConfigInput } from '../../src/config/load-config.js';
import { type Hooked, startInHooks } from './hooks.js';
import { type RunningServer, type StartOptions, startServer, startServerWithIssuer } from './start-server.js';
import type { TestIssuer, TestIssuerOptions } from './test-issuer.js';

/** Settings, or a function that prepares them once the `before` hook runs (after making a database, say). */
export type Settings = ConfigInput | (() => ConfigInput | Promise<ConfigInput>);

/** `ready` settles once the server is up: a top-level `before` of a file's own that needs it awaits it. */
type Started = Pick<Hooked<unknown>, 'ready'>;

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

const settingsOf = async (settings: Settings): Promise<ConfigInput> =>
  typeof settings === 'function' ? settings() : settings;

/**
 * Runs the app with the embedded authorization server (and its first accounts) for the tests of the
 * current file or `describe`, started before the first and closed after the last.
 */
export function useServer(settings: Settings = {}, options: StartOptions = {}): ServerHandle {
  const started = startInHooks(
    async () => startServer(undefined, await settingsOf(settings), options),
    (server) => server.close(),
  );
  return {
    ready: started.ready,
    get server() {
      return started.current();
    },
    async restart() {
      const next = await started.current().restart();
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
  const started = startInHooks(
    async () => startServerWithIssuer(await settingsOf(settings), issuerOptions),
    (running) => running.close(),
  );
  return {
    ready: started.ready,
    get issuer() {
      return started.current().issuer;
    },
    get server() {
      return started.current().server;
    },
  };
}
