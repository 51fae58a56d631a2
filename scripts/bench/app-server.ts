import { createServer } from 'node:net';
import { importJWK, type JWK, SignJWT } from 'jose';
import { type App, createApp } from '../../src/app.js';
import { type Config, type ConfigInput, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { IssuerHandle } from './protocol.js';

/** Long enough for any run; the server may cache a verified token until its expiry. */
const TOKEN_LIFETIME_S = 4 * 3600;

export const ALL_SCOPES = 'create:todos read:todos delete:todos';

export interface RunningApp {
  readonly app: App;
  readonly config: Config;
  readonly mcpUrl: string;
  /** A real JWT of the trusted issuer for this server's resource. */
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
 * (c) The real server as `todo-manager serve` composes it (createApp over loadConfig), validating
 * real JWTs of the issuer that the parent serves (discovery and JWKS over HTTP).
 */
export async function startApp(databaseUrl: string, issuer: IssuerHandle): Promise<RunningApp> {
  const { kid, alg } = issuer.signingKey as { kid: string; alg: string };
  const privateKey = await importJWK(issuer.signingKey as JWK, alg);
  const port = await freePort();
  const input: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    AUTH_ISSUER: issuer.url,
    LOG_LEVEL: 'error',
    // Ignored by versions without a rate limit; with one, the load of one subject would hit it.
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const config = loadConfig(input as ConfigInput);
  const app = await createApp(config, createLogger(process.stderr, config.logLevel));
  await app.listen();
  return {
    app,
    config,
    mcpUrl: `http://127.0.0.1:${port}/mcp`,
    token: (subject, scope) =>
      new SignJWT({ scope, client_id: 'bench-client' })
        .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
        .setIssuer(issuer.url)
        .setAudience(config.resource)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S)
        .sign(privateKey),
    close: () => app.close(),
  };
}
