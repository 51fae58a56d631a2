import { authorizationUrl, exchangeCode, signIn } from './oauth-client.js';

/**
 * An access token for an account with exactly the scope asked for (of those its role allows):
 * registers a client, signs in through the pages over HTTP and exchanges the code, as a client
 * that asks for less than everything would.
 */
export async function scopedToken(
  origin: string,
  resource: string,
  username: string,
  password: string,
  scope: string,
): Promise<string> {
  const { url, clientId, verifier, redirectUrl } = await authorizationUrl(origin, resource, { scope });
  const { callback, pages } = await signIn(url, username, password, redirectUrl);
  const code = callback?.get('code');
  if (!code) throw new Error(`sign-in refused (HTTP ${pages.at(-1)?.status}) ${callback?.toString() ?? ''}`);
  const response = await exchangeCode(origin, { code, verifier, clientId, redirectUrl, resource });
  if (response.status !== 200)
    throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return token;
}
