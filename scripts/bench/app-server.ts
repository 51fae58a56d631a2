import { createServer } from 'node:net';
import { type App, createApp } from '../../src/app.js';
import { type Config, type ConfigInput, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startTestIssuer, type TestIssuer } from '../../test/support/test-issuer.js';

/** Long enough for any run; the server may cache a verified token until its expiry. */
const TOKEN_LIFETIME_S = 4 * 3600;

export const ALL_SCOPES = 'create:todos read:todos delete:todos';

export interface RunningApp {
  readonly app: App;
  readonly config: Config;
  readonly issuer: TestIssuer;
  readonly mcpUrl: string;
  /** A real JWT from the test issuer for this server's resource. */
  token(subject: string, scope: string): Promise<string>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * (c) The real server as `npm start` composes it (createApp over loadConfig), validating real JWTs
 * of an issuer that serves discovery and JWKS over HTTP from this same child process.
 */
export async function startApp(databaseUrl: string): Promise<RunningApp> {
  const issuer = await startTestIssuer();
  const port = await freePort();
  const input: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    AUTH_ISSUER: issuer.issuer,
    LOG_LEVEL: 'error',
    // Ignored by versions without a rate limit; with one, the load of one subject would hit it.
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const config = loadConfig(input as ConfigInput);
  issuer.audience = config.resource;
  const app = await createApp(config, createLogger(process.stderr, config.logLevel));
  await app.listen();
  return {
    app,
    config,
    issuer,
    mcpUrl: `http://127.0.0.1:${port}/mcp`,
    token: (subject, scope) =>
      issuer.sign({
        claims: {
          sub: subject,
          scope,
          client_id: 'bench-client',
          exp: Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S,
        },
      }),
    async close() {
      await app.close();
      await issuer.close();
    },
  };
}
