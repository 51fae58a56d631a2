import { createServer } from 'node:net';
import { signIn } from '../../test/support/oauth-client.js';

export interface Account {
  readonly username: string;
  readonly password: string;
}

/**
 * A loopback port that is free right now, for the suite's callback listener. The suite binds it
 * itself, so it can only be released just before the suite starts; another process may take it
 * in between, and the caller retries with a new port when that happens.
 */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/**
 * Registers a public client (RFC 7591, `token_endpoint_auth_method: none`) with a loopback
 * redirect, as the suite's `authorization-code-grant` needs a client it does not register itself.
 */
export async function registerPublicClient(issuer: string, redirectUri: string): Promise<string> {
  const response = await fetch(`${issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'MCP conformance suite',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { client_id?: unknown };
  if (response.status !== 201 || typeof body.client_id !== 'string') {
    throw new Error(`client registration at ${issuer}/reg answered ${response.status}`);
  }
  return body.client_id;
}

/**
 * Plays the browser for the authorization URL the suite printed: signs in and consents through
 * the real pages with a cookie jar, then follows the redirect back to the suite's listener,
 * whatever it carries (`code` or `error`), so the suite judges the answer itself.
 */
export async function actAsBrowser(
  authorizationUrl: URL,
  redirectUri: string,
  account: Account,
): Promise<void> {
  const { callback, pages } = await signIn(authorizationUrl, account.username, account.password, redirectUri);
  if (callback === undefined) throw new Error(`the sign-in was refused (HTTP ${pages.at(-1)?.status})`);
  const back = new URL(redirectUri);
  back.search = callback.toString();
  const answer = await fetch(back, { signal: AbortSignal.timeout(10_000) });
  await answer.text();
  if (!answer.ok) throw new Error(`the suite's callback listener answered ${answer.status}`);
}
