import { createHash, randomBytes } from 'node:crypto';
import {
  Client,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import type { Era } from './mcp-client.js';

/** An in-memory OAuth client, as an MCP host would keep one: registration, PKCE verifier, tokens. */
export class MemoryOAuthClient implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private client: OAuthClientInformationMixed | undefined;
  private savedTokens: OAuthTokens | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;

  constructor(readonly redirectUrl = 'http://127.0.0.1:45189/callback') {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Todo Manager test client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.savedTokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.savedTokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** Asks the embedded authorization server at `origin` for fresh tokens with the client's refresh token. */
export function refreshTokens(origin: string, oauth: MemoryOAuthClient): Promise<Response> {
  return fetch(`${origin}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: oauth.tokens()?.refresh_token ?? '',
      client_id: oauth.clientInformation()?.client_id ?? '',
    }),
  });
}

/** A cookie jar just good enough for one origin: honours cookie paths, ignores expiry. */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^expires=thu, 01 jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(`${name};${path}`);
      else this.cookies.set(`${name};${path}`, { value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([key, c]) => `${key.split(';')[0]}=${c.value}`)
      .join('; ');
  }
}

export interface SignInResult {
  /** The query of the redirect back to the client (`code`, `state`, `iss` or an `error`); absent when sign-in was refused. */
  readonly callback?: URLSearchParams;
  /** Each page the browser would have shown, with its status. */
  readonly pages: { url: string; status: number; html: string }[];
}

const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
const formAction = (html: string, index = 0) =>
  [...html.matchAll(/<form method="post" action="([^"]+)"/g)][index]?.[1];

/**
 * Drives the authorization URL the way a browser would, over plain HTTP: follows redirects with
 * a cookie jar, submits the sign-in form with the given credentials, then the consent form,
 * and stops at the redirect back to the client. Pass a jar to keep the browser's session (and
 * its sign-in at the authorization server) from one authorization to the next.
 */
export async function signIn(
  authorizationUrl: URL,
  username: string,
  password: string,
  redirectUrl: string,
  jar = new CookieJar(),
): Promise<SignInResult> {
  const pages: SignInResult['pages'] = [];
  let request: { url: URL; init: RequestInit } = { url: authorizationUrl, init: { method: 'GET' } };
  for (let step = 0; step < 20; step += 1) {
    const response = await fetch(request.url, {
      ...request.init,
      redirect: 'manual',
      headers: { ...(request.init.headers as Record<string, string>), cookie: jar.header(request.url) },
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, request.url);
      if (next.href.startsWith(redirectUrl)) return { callback: next.searchParams, pages };
      request = { url: next, init: { method: 'GET' } };
      continue;
    }
    const html = await response.text();
    pages.push({ url: request.url.href, status: response.status, html });
    const action = formAction(html);
    if (action === undefined) throw new Error(`sign-in stopped at ${request.url} (HTTP ${response.status})`);
    const isLogin = html.includes('name="password"');
    // The form coming back after we posted it means the credentials were refused.
    if (isLogin && pages.filter((p) => p.html.includes('name="password"')).length > 1) return { pages };
    const form = new URLSearchParams({ csrf: hidden(html, 'csrf') });
    if (isLogin) {
      form.set('username', username);
      form.set('password', password);
    }
    request = {
      url: new URL(action, request.url),
      init: {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: request.url.origin },
      },
    };
  }
  throw new Error('too many redirects');
}

/**
 * The whole flow a real MCP client runs: an unauthenticated connect gets 401, the SDK discovers
 * the metadata, registers, and asks us to open the authorization URL; we sign in over HTTP, hand
 * the callback to the transport, and connect again with the tokens.
 */
export async function connectWithOAuth(
  mcpUrl: string,
  username: string,
  password: string,
  era: Era = 'legacy',
  oauth = new MemoryOAuthClient(),
): Promise<{ client: Client; oauth: MemoryOAuthClient }> {
  const makeClient = () =>
    new Client(
      { name: 'todo-manager-oauth-tests', version: '1.0.0' },
      { versionNegotiation: { mode: era === 'modern' ? { pin: '2026-07-28' } : 'legacy' } },
    );
  const makeTransport = () =>
    new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: oauth, onInsufficientScope: 'throw' });
  if (oauth.tokens() === undefined) {
    const transport = makeTransport();
    await makeClient()
      .connect(transport)
      .then(
        () => {
          throw new Error('connected without signing in');
        },
        (error: unknown) => {
          if (!(error instanceof UnauthorizedError)) throw error;
        },
      );
    if (oauth.authorizationUrl === undefined) throw new Error('the client was never sent to sign in');
    const { callback, pages } = await signIn(oauth.authorizationUrl, username, password, oauth.redirectUrl);
    if (callback === undefined) throw new Error(`sign-in refused (HTTP ${pages.at(-1)?.status})`);
    await transport.finishAuth(callback);
  }
  const client = makeClient();
  await client.connect(makeTransport());
  return { client, oauth };
}

/**
 * Registers a public client and builds an authorization URL with PKCE (S256) and a resource
 * indicator, as an MCP client would, without going through the SDK.
 */
export async function authorizationUrl(
  origin: string,
  resource: string,
  {
    scope = 'create:todos read:todos delete:todos',
    redirectUrl,
  }: { scope?: string; redirectUrl?: string } = {},
) {
  const oauth = new MemoryOAuthClient(redirectUrl);
  const registration = await fetch(`${origin}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(oauth.clientMetadata),
  });
  const { client_id } = (await registration.json()) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${origin}/auth`);
  url.search = new URLSearchParams({
    client_id,
    response_type: 'code',
    redirect_uri: oauth.redirectUrl,
    scope,
    state: randomBytes(8).toString('hex'),
    resource,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { url, clientId: client_id, verifier, redirectUrl: oauth.redirectUrl };
}

export interface CodeExchange {
  readonly code: string;
  readonly verifier: string;
  readonly clientId: string;
  readonly redirectUrl: string;
  /** The resource indicator (RFC 8707) to name again at the token endpoint. */
  readonly resource?: string;
}

/** Exchanges an authorization code at the token endpoint as a public client with PKCE. */
export function exchangeCode(origin: string, exchange: CodeExchange): Promise<Response> {
  return fetch(`${origin}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: exchange.code,
      redirect_uri: exchange.redirectUrl,
      client_id: exchange.clientId,
      code_verifier: exchange.verifier,
      ...(exchange.resource !== undefined && { resource: exchange.resource }),
    }),
  });
}
