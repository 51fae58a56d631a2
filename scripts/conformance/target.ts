import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/log.js';
import { connectWithOAuth } from '../../test/support/oauth-client.js';
import type { Account } from './authorization-browser.js';

export interface Target {
  /** The server's own MCP endpoint, reached directly (it demands a token). */
  readonly mcpUrl: string;
  /** Where the server listens, for the token proxy. */
  readonly listenOrigin: string;
  /** The embedded authorization server's issuer, exactly as its metadata states it. */
  readonly issuer: string;
  /** The bootstrapped `admin` account, for the suite's authorization code grant. */
  readonly account: Account;
  /** A real access token from the embedded authorization server, for that account. */
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Starts the server as `npm start` composes it (loadConfig + startApp, embedded authorization
 * server, SQLite) in `workDir`, and signs in as the bootstrapped admin through the real OAuth
 * flow of the MCP SDK client: 401 challenge, metadata discovery, client registration,
 * authorization code with PKCE and a resource indicator.
 */
export async function startTarget(workDir: string, logFile: string): Promise<Target> {
  const requested = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: join(workDir, 'todo-manager.db'),
    LOG_LEVEL: 'info',
  });
  const logStream = createWriteStream(logFile, { flags: 'w' });
  const app = await startApp(requested, createLogger(logStream, requested.logLevel));
  const { config } = app;
  const port = app.address.port;
  const closeAll = async () => {
    await app.close();
    await new Promise<void>((resolve) => logStream.end(resolve));
  };
  try {
    const admin = (await app.createFirstAccounts()).find((account) => account.user.username === 'admin');
    if (admin === undefined) throw new Error('the embedded authorization server created no admin account');
    const account = { username: admin.user.username, password: admin.password };
    const { client, oauth } = await connectWithOAuth(config.resource, account.username, account.password);
    await client.close();
    const token = oauth.tokens()?.access_token;
    if (token === undefined) throw new Error('the sign-in yielded no access token');
    return {
      mcpUrl: config.resource,
      listenOrigin: `http://127.0.0.1:${port}`,
      issuer: config.auth.issuer,
      account,
      token,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
