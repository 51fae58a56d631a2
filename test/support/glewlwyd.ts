import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CookieJar } from './oauth-client.js';
import { freePort } from './start-server.js';

/**
 * Debian's glewlwyd package (2.7.x), installed by npm test's prerequisites (scripts/test-prerequisites.sh): the server binary, the SQLite schema
 * it ships for dbconfig-common, its login page and its plugin modules.
 */
const PACKAGE = {
  binary: process.env.GLEWLWYD_PATH ?? '/usr/bin/glewlwyd',
  schema: '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3',
  webapp: '/usr/share/glewlwyd/webapp/',
  modules: '/usr/lib/glewlwyd',
};

/** The administrator the shipped schema creates, with the password its documentation names. */
const DEFAULT_ADMIN = { username: 'admin', password: 'password' };
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const MAX_LOG_CHARS = 64_000;

const TODO_SCOPES = ['create:todos', 'read:todos', 'delete:todos'] as const;
/**
 * The plugin's "required scope" for introspection. Observed in glewlwyd 2.7.5: while that list is
 * empty, a client authenticating with Basic credentials learns only about its own tokens
 * (`{"active":false}` for every other); once it names a scope, every confidential client may
 * introspect every token, which is what a separate resource-server client needs.
 */
const INTROSPECTION_SCOPE = 'token-introspection';

export interface GlewlwydAccount {
  readonly username: string;
  readonly password: string;
}

export interface GlewlwydClient {
  readonly id: string;
  /** Absent for the public client, which authenticates with PKCE alone. */
  readonly secret?: string;
  readonly redirectUri?: string;
}

export interface GlewlwydOptions {
  /** RFC 8707 resource indicators the todo scopes may be issued for: the MCP endpoints under test. */
  readonly resources: readonly string[];
  /** The loopback redirect URI (RFC 8252 §7.3) registered for the public client. */
  readonly redirectUri: string;
}

export interface Glewlwyd {
  readonly origin: string;
  /** The OpenID Connect plugin's issuer: it has a path, `/api/oidc`. */
  readonly issuer: string;
  readonly accounts: { readonly user: GlewlwydAccount; readonly admin: GlewlwydAccount };
  /** A public client: authorization code with PKCE (S256), no secret. */
  readonly publicClient: GlewlwydClient;
  /** The resource server's confidential client (client_secret_basic), for introspection only. */
  readonly resourceServerClient: Required<Omit<GlewlwydClient, 'redirectUri'>>;
  close(): Promise<void>;
}

const secret = () => randomBytes(18).toString('base64url');

/**
 * Starts a private glewlwyd on 127.0.0.1 with its own configuration file and a fresh SQLite
 * database in a temporary folder, and configures it through its admin API: an OpenID Connect
 * plugin with RS256 JWT access tokens, PKCE, resource indicators and introspection; the three
 * todo scopes; a `user` and an `admin` account; a public client and a resource-server client.
 * Fails, rather than skips, when the package is missing.
 */
export async function startGlewlwyd(options: GlewlwydOptions): Promise<Glewlwyd> {
  await access(PACKAGE.binary).catch(() => {
    throw new Error(
      `glewlwyd is not installed (${PACKAGE.binary}); npm test installs the Debian package (scripts/test-prerequisites.sh)`,
    );
  });
  const dir = await mkdtemp(join(tmpdir(), 'glewlwyd-test-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const database = join(dir, 'glewlwyd.db');
  const db = new Database(database);
  try {
    db.exec(await readFile(PACKAGE.schema, 'utf8'));
  } finally {
    db.close();
  }
  const configFile = join(dir, 'glewlwyd.conf');
  await writeFile(configFile, configuration({ port, origin, database }));

  const child = spawn(PACKAGE.binary, ['--config-file', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test process that dies must not leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilAnswering(origin, child);
    const accounts = {
      user: { username: 'user', password: secret() },
      admin: { username: DEFAULT_ADMIN.username, password: secret() },
    };
    const clients = {
      publicClient: { id: 'todo-mcp-public', redirectUri: options.redirectUri },
      resourceServerClient: { id: 'todo-mcp-resource-server', secret: secret() },
    };
    const issuer = `${origin}/api/oidc`;
    await configure({ origin, issuer, accounts, ...clients, resources: options.resources });
    return { origin, issuer, accounts, ...clients, close: stop };
  } catch (error) {
    await stop();
    throw new Error(`glewlwyd did not start: ${String(error)}\n--- glewlwyd output ---\n${output}`, {
      cause: error,
    });
  }
}

/** The glewlwyd.conf (libconfig syntax) for one private instance: loopback only, console log. */
function configuration(at: { port: number; origin: string; database: string }): string {
  const q = JSON.stringify;
  const mimeTypes = [
    ['.html', 'text/html'],
    ['.css', 'text/css'],
    ['.js', 'application/javascript'],
    ['.json', 'application/json'],
    ['.png', 'image/png'],
    ['.ico', 'image/x-icon'],
  ]
    .map(([extension, type]) => `  { extension = ${q(extension)}\n    mime_type = ${q(type)} }`)
    .join(',\n');
  return `port=${at.port}
bind_address="127.0.0.1"
external_url=${q(at.origin)}
login_url="login.html"
api_prefix="api"
static_files_path=${q(PACKAGE.webapp)}
allow_origin="*"
log_mode="console"
log_level="DEBUG"
cookie_secure=0
cookie_same_site="empty"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=false
login_api_enabled=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path=${q(`${PACKAGE.modules}/user`)}
client_module_path=${q(`${PACKAGE.modules}/client`)}
user_auth_scheme_module_path=${q(`${PACKAGE.modules}/scheme`)}
plugin_module_path=${q(`${PACKAGE.modules}/plugin`)}
hash_algorithm="SHA512"
database =
{
  type = "sqlite3"
  path = ${q(at.database)}
};
static_files_mime_types =
(
${mimeTypes}
);
`;
}

async function waitUntilAnswering(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`glewlwyd exited with status ${child.exitCode}`);
    const ok = await fetch(`${origin}/config`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`glewlwyd did not answer on ${origin} within ${STARTUP_TIMEOUT_MS} ms`);
}

/** A cookie-authenticated session on glewlwyd's admin API (`/api`, scope `g_admin`). */
function adminApi(origin: string) {
  const jar = new CookieJar();
  return async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const url = new URL(`/api${path}`, origin);
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', cookie: jar.header(url) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    jar.store(response);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${method} /api${path}: HTTP ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
}

interface Setup {
  readonly origin: string;
  readonly issuer: string;
  readonly accounts: Glewlwyd['accounts'];
  readonly publicClient: GlewlwydClient;
  readonly resourceServerClient: Required<Omit<GlewlwydClient, 'redirectUri'>>;
  readonly resources: readonly string[];
}

async function configure(setup: Setup): Promise<void> {
  const api = adminApi(setup.origin);
  await api('POST', '/auth/', DEFAULT_ADMIN);

  for (const name of TODO_SCOPES) {
    // A scope granted on the strength of the password sign-in; no second factor.
    await api('POST', '/scope/', {
      name,
      display_name: name,
      description: `Todo Manager MCP: ${name}`,
      password_required: true,
      password_max_age: 0,
      scheme: {},
    });
  }
  await api('POST', '/scope/', {
    name: INTROSPECTION_SCOPE,
    display_name: 'Token introspection',
    description: 'Lets a resource server ask about access tokens',
    password_required: false,
    scheme: {},
  });
  // Granted scopes = requested ∩ the account's scopes, as the roles table asks.
  await api('POST', '/user/', {
    username: setup.accounts.user.username,
    password: setup.accounts.user.password,
    name: 'Todo user',
    scope: ['create:todos'],
    enabled: true,
  });
  await api('PUT', `/user/${setup.accounts.admin.username}`, {
    password: setup.accounts.admin.password,
    name: 'Todo admin',
    scope: ['g_admin', 'g_profile', ...TODO_SCOPES],
    enabled: true,
  });

  await api('POST', '/client/', {
    client_id: setup.publicClient.id,
    name: 'Todo Manager MCP client (public)',
    confidential: false,
    redirect_uri: [setup.publicClient.redirectUri],
    authorization_type: ['code', 'refresh_token'],
    token_endpoint_auth_method: ['none'],
    scope: [],
    enabled: true,
  });
  await api('POST', '/client/', {
    client_id: setup.resourceServerClient.id,
    name: 'Todo Manager MCP resource server',
    confidential: true,
    client_secret: setup.resourceServerClient.secret,
    // Without a token_endpoint_auth_method glewlwyd refuses the client's secret (unauthorized_client).
    token_endpoint_auth_method: ['client_secret_basic'],
    redirect_uri: [],
    authorization_type: [],
    scope: [],
    enabled: true,
  });

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await api('POST', '/mod/plugin/', {
    module: 'oidc',
    name: 'oidc',
    display_name: 'OpenID Connect',
    enabled: true,
    parameters: oidcPluginParameters({
      issuer: setup.issuer,
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      cert: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      resources: setup.resources,
    }),
  });
  const discovery = await fetch(`${setup.issuer}/.well-known/openid-configuration`);
  if (!discovery.ok) throw new Error(`the OIDC plugin serves no discovery (HTTP ${discovery.status})`);
}

/** The OpenID Connect plugin instance: what this server needs from glewlwyd, nothing more. */
function oidcPluginParameters(p: {
  issuer: string;
  key: string;
  cert: string;
  resources: readonly string[];
}): Record<string, unknown> {
  return {
    iss: p.issuer,
    // RS256 with a PEM key pair; the JWKS endpoint publishes the public key with a kid.
    'jwt-type': 'rsa',
    'jwt-key-size': '256',
    key: p.key,
    cert: p.cert,
    'jwks-show': true,
    'access-token-duration': 3600,
    'refresh-token-duration': 1_209_600,
    'code-duration': 600,
    'refresh-token-rolling': true,
    // MCP clients ask for the todo scopes without `openid`: a plain OAuth 2 request.
    'allow-non-oidc': true,
    'auth-type-code-enabled': true,
    'auth-type-token-enabled': false,
    'auth-type-none-enabled': false,
    'auth-type-password-enabled': false,
    'auth-type-client-enabled': false,
    'auth-type-device-enabled': false,
    'auth-type-refresh-enabled': true,
    // One `sub` per account for every client, so todos stay with their owner across clients.
    'subject-type': 'public',
    'allowed-scope': ['openid', ...TODO_SCOPES],
    'pkce-allowed': true,
    'pkce-method-plain-allowed': false,
    'pkce-required': true,
    'introspection-revocation-allowed': true,
    'introspection-revocation-allow-target-client': true,
    'introspection-revocation-auth-scope': [INTROSPECTION_SCOPE],
    // RFC 8707: `aud` is the requested resource, allowed per scope; without one, glewlwyd
    // puts the granted scope list in `aud`.
    'resource-allowed': true,
    'resource-scope': Object.fromEntries(TODO_SCOPES.map((scope) => [scope, [...p.resources]])),
    'resource-client-property': '',
    'resource-scope-and-client-property': false,
    'resource-change-allowed': false,
    // RFC 9207: the redirect back to the client names the issuer.
    'oauth-as-iss-id': true,
    // RFC 9449 (glewlwyd cites its drafts): advertise DPoP, accept proofs up to 60 s old, no
    // server nonces. glewlwyd binds tokens to a proof it is sent even without these; they make
    // it say so in its discovery document.
    'oauth-dpop-allowed': true,
    'oauth-dpop-iat-duration': 60,
    'oauth-dpop-nonce-mandatory': false,
    'oauth-dpop-nonce-counter': 10,
  };
}

/** An authorization request with PKCE (S256) and a resource indicator, as an MCP client builds it. */
export function authorizationRequest(
  glewlwyd: Glewlwyd,
  client: GlewlwydClient,
  { scope, resource }: { scope: string; resource: string | undefined },
) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const url = new URL(`${glewlwyd.issuer}/auth`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: client.redirectUri ?? '',
    scope,
    state,
    ...(resource !== undefined && { resource }),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { url, verifier, state };
}

export interface GlewlwydSignIn {
  /** The redirect back to the client, or absent when glewlwyd refused the credentials. */
  readonly callback?: URL;
  /** The login page glewlwyd sent the browser to, with its status. */
  readonly loginPage?: { readonly url: URL; readonly status: number };
}

/**
 * Drives glewlwyd's sign-in over plain HTTP with a cookie jar, making the requests its login page
 * makes in a browser: follow `/auth` to `login.html`, POST the credentials to `/api/auth/`,
 * grant the client the scopes the page offers (`/api/auth/grant/…`), then return to the
 * authorization endpoint with `g_continue` and stop at the redirect to the client.
 */
export async function signInToGlewlwyd(
  authorizationUrl: URL,
  account: GlewlwydAccount,
  redirectUri: string,
): Promise<GlewlwydSignIn> {
  const jar = new CookieJar();
  const get = async (url: URL) => {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: jar.header(url) },
      signal: AbortSignal.timeout(10_000),
    });
    jar.store(response);
    return response;
  };
  const send = async (method: 'POST' | 'PUT', url: URL, body: unknown) => {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', cookie: jar.header(url) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    jar.store(response);
    await response.body?.cancel();
    return response.status;
  };
  const redirectOf = (response: Response, base: URL) => {
    const location = response.headers.get('location');
    if (response.status !== 302 || location === null) {
      throw new Error(`expected a redirect from ${base.pathname}, got HTTP ${response.status}`);
    }
    return new URL(location, base);
  };

  const first = redirectOf(await get(authorizationUrl), authorizationUrl);
  if (first.href.startsWith(redirectUri)) return { callback: first };
  const page = await get(first);
  await page.body?.cancel();
  const loginPage = { url: first, status: page.status };
  const clientId = first.searchParams.get('client_id') ?? '';
  const scope = first.searchParams.get('scope') ?? '';
  const continueUrl = first.searchParams.get('callback_url');
  if (continueUrl === null) throw new Error(`the login page ${first.pathname} carries no callback_url`);

  const api = (path: string) => new URL(`/api${path}`, first.origin);
  const signedIn = await send('POST', api('/auth/'), account);
  if (signedIn !== 200) return { loginPage };
  const offered = await get(api(`/auth/grant/${encodeURIComponent(clientId)}/${encodeURIComponent(scope)}`));
  if (offered.status !== 200) throw new Error(`the consent step answered HTTP ${offered.status}`);
  const { scope: scopes } = (await offered.json()) as { scope: { name: string }[] };
  const granted = await send('PUT', api(`/auth/grant/${encodeURIComponent(clientId)}/`), {
    scope: scopes.map((s) => s.name).join(' '),
  });
  if (granted !== 200) throw new Error(`granting the scopes answered HTTP ${granted}`);

  const resume = new URL(`${continueUrl}${continueUrl.includes('?') ? '&' : '?'}g_continue`);
  const callback = redirectOf(await get(resume), resume);
  if (!callback.href.startsWith(redirectUri)) {
    throw new Error(`sign-in ended at ${callback.origin}${callback.pathname}, not at the client`);
  }
  return { callback, loginPage };
}

export interface GlewlwydTokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly token_type: string;
  readonly scope: string;
  readonly expires_in: number;
}

/**
 * Redeems a public client's authorization code with the PKCE verifier and the resource, with a
 * DPoP proof when one is given (RFC 9449 §5).
 */
export async function redeemCode(
  glewlwyd: Glewlwyd,
  client: GlewlwydClient,
  {
    code,
    verifier,
    resource,
    dpop,
  }: { code: string; verifier: string; resource: string | undefined; dpop?: string },
): Promise<{ status: number; tokens: GlewlwydTokens }> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri ?? '',
    code_verifier: verifier,
    client_id: client.id,
    ...(resource !== undefined && { resource }),
  });
  const response = await fetch(`${glewlwyd.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(dpop && { dpop }) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  // An error may come with an empty body; the caller asserts the status first.
  const text = await response.text();
  return { status: response.status, tokens: (text === '' ? {} : JSON.parse(text)) as GlewlwydTokens };
}
