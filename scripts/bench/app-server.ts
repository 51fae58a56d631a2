import { randomUUID } from 'node:crypto';
import { importJWK, type JWK, SignJWT } from 'jose';
import { type App, startApp as startServer } from '../../src/app.js';
import { loadSigningKeys } from '../../src/authorization-server/signing-keys.js';
import { type Config, type ConfigInput, loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/log.js';
import { openStorage } from '../../src/storage/open-storage.js';
import type { IssuerHandle } from './protocol.js';

/** Long enough for any run; the server may cache a verified token until its expiry. */
const TOKEN_LIFETIME_S = 4 * 3600;

export const ALL_SCOPES = 'create:todos read:todos delete:todos';

export interface RunningApp {
  readonly app: App;
  readonly config: Config;
  readonly mcpUrl: string;
  /** A real JWT of the trusted issuer for this server's resource, with any extra claims (`cnf`). */
  token(subject: string, scope: string, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * (c) The real server as `todo-manager serve` composes it (startApp over loadConfig), validating
 * real JWTs of the issuer that the parent serves (discovery and JWKS over HTTP). With `embedded`
 * it runs its own authorization server instead, and the tokens are signed with that server's key
 * from the database and name a grant (`grant_id`), as its token endpoint's do: every call then
 * also passes the revoked-grant check and notes the grant's use.
 */
export async function startApp(
  databaseUrl: string,
  issuer: IssuerHandle,
  embedded = false,
): Promise<RunningApp> {
  const input: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    ...(!embedded && { AUTH_ISSUER: issuer.url }),
    LOG_LEVEL: 'error',
    // Ignored by versions without a rate limit; with one, the load of one subject would hit it.
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const requested = loadConfig(input as ConfigInput);
  const app = await startServer(requested, createLogger(process.stderr, requested.logLevel));
  const { config } = app;
  const signer = embedded ? await embeddedSigner(databaseUrl) : issuer.signingKey;
  const { kid, alg } = signer as { kid: string; alg: string };
  const privateKey = await importJWK(signer as JWK, alg);
  const grant = embedded ? { grant_id: randomUUID() } : {};
  return {
    app,
    config,
    mcpUrl: `http://127.0.0.1:${app.address.port}/mcp`,
    token: (subject, scope, extra = {}) =>
      new SignJWT({ scope, client_id: 'bench-client', ...grant, ...extra })
        .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
        .setIssuer(config.auth.issuer)
        .setAudience(config.resource)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S)
        .sign(privateKey),
    close: () => app.close(),
  };
}

/** The embedded authorization server's signing key (private JWK), as it reads it from the database. */
async function embeddedSigner(databaseUrl: string): Promise<JWK> {
  const storage = await openStorage(databaseUrl);
  try {
    const [key] = await loadSigningKeys(storage.auth);
    if (key === undefined) throw new Error('the embedded authorization server has no signing key');
    return key;
  } finally {
    await storage.close();
  }
}
