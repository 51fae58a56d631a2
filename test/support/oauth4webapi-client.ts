import * as oauth from 'oauth4webapi';
import { eventData } from './auth-http.js';
import { signIn } from './oauth-client.js';

/** Plain http on 127.0.0.1 is what the tests run on; oauth4webapi wants it said out loud. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

const REDIRECT_URI = 'http://127.0.0.1:45190/callback';

/** A client of oauth4webapi (an independent RFC 9449 implementation), signed in with a DPoP key. */
export interface DpopSession {
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly DPoP: oauth.DPoPHandle;
  readonly keyPair: Awaited<ReturnType<typeof oauth.generateKeyPair>>;
  readonly tokens: oauth.TokenEndpointResponse;
}

/** oauth4webapi recovers from a `use_dpop_nonce` answer by trying once more with the nonce it was given (RFC 9449 §8, §9). */
export async function retryOnNonce<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (oauth.isDPoPNonceError(error)) return request();
    throw error;
  }
}

/**
 * The whole RFC 9449 flow with oauth4webapi against the embedded authorization server:
 * discovery, registration of a public client, an authorization request with PKCE and `dpop_jkt`
 * (RFC 9449 §10), our sign-in pages driven over HTTP, and a token request with a DPoP proof.
 */
export async function signInWithDpop(
  origin: string,
  resource: string,
  username: string,
  password: string,
  alg = 'ES256',
): Promise<DpopSession> {
  const issuer = new URL(origin);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const registration = await fetch(String(as.registration_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'oauth4webapi DPoP test client',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      dpop_bound_access_tokens: true,
    }),
  });
  if (registration.status !== 201) throw new Error(`registration: HTTP ${registration.status}`);
  const client = (await registration.json()) as oauth.Client;
  const keyPair = await oauth.generateKeyPair(alg);
  const DPoP = oauth.DPoP(client, keyPair);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(String(as.authorization_endpoint));
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'create:todos read:todos delete:todos offline_access',
    resource,
    state,
    prompt: 'consent',
    dpop_jkt: await DPoP.calculateThumbprint(),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const { callback } = await signIn(url, username, password, REDIRECT_URI);
  if (callback === undefined) throw new Error('the sign-in was refused');
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const tokens = await retryOnNonce(async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT_URI, verifier, {
        ...insecure,
        DPoP,
        additionalParameters: { resource },
      }),
    ),
  );
  return { as, client, DPoP, keyPair, tokens };
}

/** Calls a tool over `/mcp` with oauth4webapi's DPoP-protected request; the JSON-RPC result. */
export async function callTool(
  session: Pick<DpopSession, 'DPoP'>,
  accessToken: string,
  mcpUrl: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ isError?: boolean; structuredContent?: Record<string, unknown> }> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: args },
  });
  const response = await retryOnNonce(() =>
    oauth.protectedResourceRequest(
      accessToken,
      'POST',
      new URL(mcpUrl),
      new Headers({
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      }),
      body,
      { ...insecure, DPoP: session.DPoP },
    ),
  );
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text}`);
  const json = (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
    ? eventData(text).join('')
    : text;
  return (JSON.parse(json) as { result: { isError?: boolean; structuredContent?: Record<string, unknown> } })
    .result;
}
