import type { ClientMetadata, Configuration } from 'oidc-provider';

/** The server's own client for its account page and admin console: how a person signs in to them. */
export const CONSOLE_CLIENT_ID = 'todo-manager-console';

/** Where the authorization endpoint sends the browser back once the person is signed in. */
export const CONSOLE_CALLBACK_PATH = '/account/signed-in';

/**
 * The console signs people in through the authorization endpoint like any app, so the same
 * sign-in page, throttle and session cookie serve it; it never exchanges its code, because the
 * session oidc-provider keeps is what the console reads.
 */
export function consoleClient(issuer: string): ClientMetadata {
  return {
    client_id: CONSOLE_CLIENT_ID,
    client_name: 'Todo Manager account',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${issuer}${CONSOLE_CALLBACK_PATH}`],
    token_endpoint_auth_method: 'none',
  };
}

type LoadExistingGrant = NonNullable<Configuration['loadExistingGrant']>;

/**
 * oidc-provider's own lookup of the grant a session holds for a client, plus one for the console:
 * it is part of this server and asks for nothing but `openid`, so nobody is asked to consent to it.
 */
export const loadExistingGrant: LoadExistingGrant = async (ctx) => {
  const { client, session, provider } = ctx.oidc;
  const clientId = client?.clientId ?? '';
  const grantId = ctx.oidc.result?.consent?.grantId ?? session?.grantIdFor(clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (existing || clientId !== CONSOLE_CLIENT_ID || !session?.accountId) return existing;
  const grant = new provider.Grant({ accountId: session.accountId, clientId });
  grant.addOIDCScope('openid');
  await grant.save();
  return grant;
};
