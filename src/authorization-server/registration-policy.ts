import { type Configuration, errors } from 'oidc-provider';
import { isManagedClientId } from './clients/client-metadata.js';
import { isLoopbackRedirect } from './redirect-uris.js';

const refuse = (message: string) => new errors.InvalidClientMetadata(message);

/** Whether a URI names a user (`https://good.example@evil.example/cb` goes to evil.example). */
const hasUserinfo = (uri: string) => {
  const url = URL.parse(uri);
  return url !== null && (url.username !== '' || url.password !== '');
};

/** Machine grants (client_credentials, the JWT bearer grant) belong to admin-created clients only. */
const REGISTRABLE_GRANTS = new Set(['authorization_code', 'refresh_token']);

/**
 * What a client may register (dynamic registration, RFC 7591, and Client ID Metadata Documents
 * alike). `software_id` is ordinary RFC 7591 metadata; its validator sees the whole registration,
 * which is where the policy is enforced:
 * - redirect URIs: `https:`, or `http:` on a loopback host (RFC 8252 §7.3), never with userinfo;
 * - no `jwks_uri` and no `sector_identifier_uri`: the server would fetch them later, at an address
 *   the client chose. A client that authenticates with `private_key_jwt` registers its keys inline
 *   (`jwks`), so no request made to `/token` ever reaches out of the server;
 * - grants: the authorization code and refresh tokens only.
 */
export const REGISTRATION_POLICY: NonNullable<Configuration['extraClientMetadata']> = {
  properties: ['software_id'],
  validator(_ctx, key, _value, metadata) {
    if (key !== 'software_id') return;
    const redirects = (metadata.redirect_uris ?? []) as string[];
    for (const uri of redirects) {
      if (!isLoopbackRedirect(uri) && !uri.startsWith('https://')) {
        // InvalidRedirectUri would replace this description with a generic one.
        throw refuse('redirect_uris must use https, or http on a loopback address');
      }
    }
    const afterLogout = (metadata.post_logout_redirect_uris ?? []) as string[];
    if ([...redirects, ...afterLogout].some(hasUserinfo)) {
      throw refuse('redirect URIs must not contain a user name or password');
    }
    if (metadata.jwks_uri !== undefined) {
      throw refuse('jwks_uri is not accepted; register the public keys inline as jwks');
    }
    if (metadata.sector_identifier_uri !== undefined) throw refuse('sector_identifier_uri is not accepted');
    const grants = (metadata.grant_types ?? []) as string[];
    // oidc-provider validates every client it loads; admin-created ones come from their own table.
    if (!isManagedClientId(metadata.client_id) && grants.some((grant) => !REGISTRABLE_GRANTS.has(grant))) {
      throw refuse(
        'grant_types may name authorization_code and refresh_token only; an admin creates service clients',
      );
    }
  },
};
