/** Embedded authorization server rules: id → the rule and where it comes from. */
export const AUTHORIZATION_SERVER_REQUIREMENTS: Readonly<Record<string, string>> = {
  'as:bootstrap-accounts':
    'First start with no users creates admin and user with random passwords, shown once',
  'as:discovery': 'RFC 8414 and OIDC discovery advertise S256 PKCE, registration and RFC 9207 iss',
  'as:prm-names-embedded-issuer': 'RFC 9728: the protected resource metadata names the embedded issuer',
  'as:flow-admin':
    'Authorization code + PKCE + resource yields an at+jwt for the MCP resource with every admin scope',
  'as:flow-user': 'Granted scopes = requested ∩ role: a user gets only create:todos',
  'as:default-scope':
    "An authorization request without scope asks for the three todo scopes and is granted the role's (RFC 6749 §3.3), never access_denied",
  'as:unknown-scope': 'An unknown scope in an authorization request is ignored (RFC 6749 §3.3)',
  'as:refresh-rotation': 'Refresh tokens rotate and a used one cannot be replayed (OAuth 2.1 §4.3.1)',
  'as:pkce-required': 'OAuth 2.1 §4.1.1: authorization requests without a PKCE challenge are refused',
  'as:dcr-redirect-policy': 'RFC 7591 registration accepts only loopback http or https redirect URIs',
  'as:login-wrong-password': 'A wrong password shows the form again with an error and issues nothing',
  'as:login-throttle': 'Repeated failed sign-ins per user and address are throttled',
  'as:provider-pages':
    "oidc-provider's own pages (sign-out, signed out, errors, script-submitted forms) are ours: the same CSP, no framing, nosniff, no script, no third-party asset; its other answers (JSON, plain text) are never framed or sniffed either",
  'as:form-post-guards':
    'Sign-in and consent posts need the form token, a same-origin (or absent) Origin and a small web form',
  'as:stored-keys':
    "The resource server checks the embedded server's tokens against its keys in the database, never fetching them back through PUBLIC_URL (which a port mapping or proxy may not route from inside)",
  'as:restart-persistence': 'Keys, clients, grants and refresh tokens survive a restart',
  'as:key-rotation': 'Rotated keys sign new tokens while old tokens stay valid until they expire',
  'as:set-role-revokes': 'Changing a role or removing a user revokes their refresh tokens',
  'as:users-cli': 'users add/list/remove/set-role manage accounts and refuse bad input',
  'as:users-cli-safety':
    'Usernames are case-insensitive, the last admin cannot go, set-password revokes sign-ins',
  'as:browser-sign-in': 'A person signs in through the HTML pages in a real browser',
  'client:mcp-remote':
    'mcp-remote signs in through its printed URL and carries MCP over stdio with the granted scopes',
  'client:python-sdk':
    'The Python MCP SDK signs in through its own OAuth provider and gets each role’s outcomes, in both eras',
  'client:python-sdk-refresh':
    'The Python MCP SDK refreshes an expired access token with its refresh token, without a sign-in',
  'client:inspector-cli':
    'MCP Inspector CLI with a bearer token: tools/list per caller and each role’s outcomes, in both eras',
  'client:inspector-cli-errors':
    'MCP Inspector CLI prints every tool error code readably (exit 5); a 403 step-up exits 1 naming the scope',
  'client:inspector-cli-oauth':
    'MCP Inspector CLI signs in through our pages, reuses its stored sign-in, and --relogin asks again',
  'client:inspector-web':
    'The MCP Inspector web UI in a real browser shows a tool error’s code and message, in both eras',
  'client:no-consent-loop':
    'A user asking for what the role never gets meets no 403 and no consent page in any client, only a refusal',
  'as:cimd':
    'Client ID Metadata Documents are advertised; a client id on the server’s own network is refused',
  'as:cimd-ssrf':
    'Client id documents are fetched only from public https hosts (no SSRF into the server’s network)',
  'as:cimd-resolved-address':
    'A client-named URL is fetched only after its host resolves to public addresses only, over a connection to the checked address (no DNS rebinding); localhost. with a trailing dot is localhost',
  'as:no-jwks-uri':
    'Registration refuses jwks_uri (and sector_identifier_uri): private_key_jwt clients register their keys inline, so /token never fetches a URL a client chose',
  'as:redirect-userinfo':
    'Redirect URIs (and post-logout ones) with a user name or password are refused at registration (RFC 3986 §3.2.1; OAuth 2.1 §2.3)',
  'as:code-replay-revokes':
    'A replayed authorization code, a reused refresh token or an RFC 7009 revocation revokes the grant, and /mcp refuses its access tokens: at once on the instance that revoked it, within seconds on the others',
  'as:forwarded-host':
    'Behind a proxy, endpoints follow PUBLIC_URL; forged X-Forwarded-Host/-Proto are ignored',
  'as:browser-deny': 'Denying consent returns access_denied to the client',
  'console:account-revoke':
    'A person sees a connected client on /account, revokes it, and the client’s next tool call is refused',
  'console:admin-demote':
    'An admin demotes an account in /admin and that account’s admin-only calls stop; the change is audited',
  'console:admin-forbidden': 'A user account gets 403 on every /admin page and action',
  'console:csrf-origin':
    'Console form posts without the session’s CSRF token or from another Origin are refused',
  'console:sign-out-everywhere': 'Sign out everywhere ends every browser session of the account',
  'console:admin-reset-password':
    'An admin resets a password, shown once; the old password and the account’s apps stop working',
  'console:admin-clients':
    'An admin revokes a client’s grants (its next call is refused), deletes it, and revokes one grant of an account',
  'console:admin-disable':
    'An admin disables an account in /admin: its tokens are refused, it cannot sign in (nor keep a console session) until enabled again; both changes are audited',
  'console:last-use':
    'The account page and the admin grants page show when an app last used its access at /mcp, not when it was granted',
  'console:change-password':
    'A new password needs the current one and a strong new one; the old password stops working',
  'as:revocation-everywhere':
    'Revoking a grant, or disabling, demoting, removing an account or changing its password: every access token of its grants is refused at /mcp on every instance within 5 seconds (SQLite and PostgreSQL), and its refresh tokens fail',
  'as:disabled-account':
    'A disabled account cannot sign in (the page says so only to whoever knew the password) until it is enabled again; the last enabled admin cannot be disabled',
  'as:grant-usage':
    'Each live grant is listed with its client, how the client registered, its scopes, when it was given and when its tokens were first and last used at /mcp; an account page revokes only its own',
  'as:concurrent-writers':
    'CLI commands in this and other processes and tool calls write one SQLite database at the same moment, and none fails with "database is locked"',
};
