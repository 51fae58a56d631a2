import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, startApp } from '../../src/app.js';
import type { NewAccount } from '../../src/authorization-server/users.js';
import { type Config, type ConfigInput, loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/log.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from './test-issuer.js';

export interface RunningServer {
  readonly app: App;
  readonly config: Config;
  readonly origin: string;
  readonly mcpUrl: string;
  readonly databaseUrl: string;
  /** The embedded authorization server's first accounts, with their passwords (none with an external issuer). */
  readonly accounts: readonly NewAccount[];
  /** The password of a first account (`admin` or `user`). */
  password(username: string): string;
  /** Stops the app and starts a new one on the same database behind the same address (needs `frontDoor`). */
  restart(): Promise<RunningServer>;
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Serve behind a TCP proxy whose address stays the public URL, so that a restart binds a fresh
   * port of its own yet keeps the issuer and resource its tokens name, as behind a load balancer.
   */
  readonly frontDoor?: boolean;
}

/**
 * A free port, for programs that need one named up front (an external binary's configuration).
 * Servers of our own bind port 0 instead and report what they got.
 */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function run(
  settings: ConfigInput,
  door: TcpProxy | undefined,
  cleanup: () => Promise<void>,
): Promise<RunningServer> {
  const app = await startApp(loadConfig(settings), silentLogger);
  door?.setTarget(app.address.port);
  const accounts = await app.createFirstAccounts();
  const { config } = app;
  const server: RunningServer = {
    app,
    config,
    origin: config.publicUrl,
    mcpUrl: config.resource,
    databaseUrl: config.databaseUrl,
    accounts,
    password(username) {
      const account = accounts.find((a) => a.user.username === username);
      if (account === undefined) throw new Error(`no first account named ${username}`);
      return account.password;
    },
    async restart() {
      if (door === undefined) throw new Error('restart needs a server started with frontDoor');
      await app.close();
      // Clients must see the old app's connections close before the new app starts behind the
      // door; a pooled connection reused in between would be dropped mid-request.
      await door.drain();
      return run(settings, door, cleanup);
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
  return server;
}

/**
 * Starts the real app on 127.0.0.1, on a port the system picks, with a fresh SQLite database in a
 * temporary folder (unless the settings name another). With an issuer it validates that issuer's
 * tokens; without one it runs the embedded authorization server and creates its first accounts.
 */
export async function startServer(
  issuer: string | undefined,
  settings: ConfigInput = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-manager-test-'));
  const door = options.frontDoor ? await startTcpProxy(1) : undefined;
  const all: ConfigInput = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: join(dir, 'todos.db'),
    ...(door && { PUBLIC_URL: `http://localhost:${door.port}` }),
    ...(issuer !== undefined && { AUTH_ISSUER: issuer }),
    ...settings,
  };
  return run(all, door, async () => {
    await door?.close();
    await rm(dir, { recursive: true, force: true });
  });
}

export interface ServerWithIssuer {
  readonly issuer: TestIssuer;
  readonly server: RunningServer;
  close(): Promise<void>;
}

/** A test issuer and the real app validating its tokens; tokens it signs carry the app's resource as `aud`. */
export async function startServerWithIssuer(
  settings: ConfigInput = {},
  issuerOptions: TestIssuerOptions = {},
): Promise<ServerWithIssuer> {
  const issuer = await startTestIssuer(issuerOptions);
  const server = await startServer(issuer.issuer, settings);
  issuer.audience = server.mcpUrl;
  return {
    issuer,
    server,
    async close() {
      await server.close();
      await issuer.close();
    },
  };
}
