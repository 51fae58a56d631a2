import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../src/app.js';
import { type Config, type ConfigInput, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startTestIssuer, type TestIssuer } from './test-issuer.js';

export interface RunningServer {
  readonly app: App;
  readonly config: Config;
  readonly origin: string;
  readonly mcpUrl: string;
  readonly databaseUrl: string;
  /** Stops the app and starts a new one on the same port and database, as a restart would. */
  restart(): Promise<RunningServer>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function run(config: Config, cleanup: () => Promise<void>): Promise<RunningServer> {
  const app = await createApp(config, silentLogger);
  await app.listen();
  return {
    app,
    config,
    origin: config.publicUrl,
    mcpUrl: config.resource,
    databaseUrl: config.databaseUrl,
    async restart() {
      await app.close();
      // The test's client shares this process's connection pool; give it a moment to notice that
      // the old server closed its keep-alive sockets, as a client in another process would.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return run(config, cleanup);
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

/**
 * Starts the real app on 127.0.0.1 with a fresh SQLite database in a temporary folder. With an
 * issuer it validates that issuer's tokens; without one it runs the embedded authorization server.
 */
export async function startServer(
  issuer: string | undefined,
  settings: ConfigInput = {},
): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-manager-test-'));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: join(dir, 'todos.db'),
    ...(issuer !== undefined && { AUTH_ISSUER: issuer }),
    ...settings,
  });
  return run(config, () => rm(dir, { recursive: true, force: true }));
}

export interface ServerWithIssuer {
  readonly issuer: TestIssuer;
  readonly server: RunningServer;
  close(): Promise<void>;
}

/** A test issuer and the real app validating its tokens; tokens it signs carry the app's resource as `aud`. */
export async function startServerWithIssuer(settings: ConfigInput = {}): Promise<ServerWithIssuer> {
  const issuer = await startTestIssuer();
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
