import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../src/app.js';
import { type ConfigInput, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';

export interface RunningServer {
  readonly app: App;
  readonly origin: string;
  readonly mcpUrl: string;
  readonly databaseUrl: string;
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

/** Starts the real app on 127.0.0.1 with a fresh SQLite database in a temporary folder. */
export async function startServer(issuer: string, settings: ConfigInput = {}): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-manager-test-'));
  const port = await freePort();
  const databaseUrl = settings.DATABASE_URL ?? join(dir, 'todos.db');
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    AUTH_ISSUER: issuer,
    DATABASE_URL: databaseUrl,
    ...settings,
  });
  const app = await createApp(config, silentLogger);
  await app.listen();
  return {
    app,
    origin: `http://localhost:${port}`,
    mcpUrl: config.resource,
    databaseUrl,
    async close() {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
