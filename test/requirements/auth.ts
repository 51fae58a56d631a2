/** Token, challenge and metadata rules: id → the rule and where it comes from. */
export const AUTH_REQUIREMENTS: Readonly<Record<string, string>> = {
  // Challenges (WWW-Authenticate) and malformed requests
  'rfc6750:401-challenge':
    'No credentials → 401 with exactly `Bearer resource_metadata="…", scope="create:todos read:todos delete:todos"` and, while DPoP is allowed, the same parameters in a DPoP challenge with its algs; no error parameter (RFC 6750 §3, §3.1; RFC 9728 §5.1; RFC 9449 §7.2)',
  'rfc6750:non-bearer-scheme':
    'Another scheme (Basic) counts as no credentials → 401 with the no-credentials challenges, without an error parameter (RFC 6750 §3; RFC 9110 §11.6.1)',
  'rfc6750:invalid-token-challenge':
    'A presented but unusable token → 401 `Bearer error="invalid_token"` that still carries resource_metadata and scope (RFC 6750 §3.1; RFC 9728 §5.1)',
  'rfc6750:insufficient-scope':
    'A valid token lacking the scope a tool needs → HTTP 403 error="insufficient_scope", scope=<needed>, resource_metadata, in both protocol eras (RFC 6750 §3.1; MCP authorization, scope challenge handling)',
  'mcp:step-up-owner-filter':
    'get-todos with another user\'s ownerId without read:todos → 403 insufficient_scope scope="read:todos" before the tool runs (MCP authorization, scope challenge handling)',
  'rfc6750:no-query-token':
    'A token in the query string (access_token=) → 400 invalid_request (RFC 6750 §2.3, §3.1; MCP authorization, token handling)',
  'rfc6750:single-authorization-header':
    'Two Authorization headers → 400 invalid_request (RFC 6750 §3.1 "more than one method"; RFC 9110 §5.3)',
  'rfc6750:token-not-echoed':
    'A rejected token never appears in the response body or headers (RFC 6750 §5.3; MCP security best practices)',
  'rfc6750:malformed-token':
    'A credential that is not a compact JWS (garbage, wrong segment count, non-b64token characters, undecodable header) → 401 invalid_token (RFC 6750 §2.1, §3.1; RFC 7515 §7.1)',

  // Protected Resource Metadata
  'rfc9728:prm-path-aware':
    'Protected Resource Metadata is served at /.well-known/oauth-protected-resource/mcp, the URL the challenge names (RFC 9728 §3.1, §5.1)',
  'rfc9728:prm-root':
    'The same metadata is served at the root /.well-known/oauth-protected-resource (RFC 9728 §3; MCP authorization, metadata discovery fallback)',
  'rfc9728:prm-fields':
    'Metadata is JSON: resource = PUBLIC_URL/mcp without trailing slash, authorization_servers = [issuer], scopes_supported = the three todo scopes in order (no offline_access), bearer_methods_supported = ["header"] (RFC 9728 §2, §3.2; ARCHITECTURE §2)',
  'rfc9728:resource-from-public-url':
    'resource and resource_metadata are built from PUBLIC_URL, never from the request Host header (RFC 9728 §3.3; RFC 8707 §2)',

  // Token validation (RFC 9068 JWT access tokens, RFC 8725 JWT BCP)
  'rfc7515:signature-verified': 'A token altered after signing is rejected (RFC 7515 §5.2; RFC 9068 §4)',
  'rfc9068:keys-from-jwks':
    "A token signed by a key missing from the issuer's jwks_uri is rejected, also when it borrows a published kid (RFC 9068 §4; RFC 8414 §2)",
  'rfc8725:alg-none': 'alg "none" in any spelling is rejected (RFC 8725 §2.1, §3.1; RFC 7518 §3.6)',
  'rfc8725:no-hmac':
    'HMAC tokens are rejected, whether keyed with a secret or with the public key material (RFC 8725 §2.1, §3.1 key confusion)',
  'rfc8725:alg-allow-list':
    'Algorithms outside the asymmetric allow-list are rejected (RFC 8725 §3.1; RFC 9068 §4)',
  'rfc8725:no-embedded-keys':
    "jku, jwk, x5u or x5c headers make a token unacceptable even with a valid signature: keys come only from the issuer's jwks_uri (RFC 8725 §3.10; RFC 7515 §4.1.2–4.1.6)",
  'rfc7515:crit': 'A crit header naming an unknown extension makes the token invalid (RFC 7515 §4.1.11)',
  'rfc9068:iss-exact':
    'iss must equal the configured issuer exactly: another issuer, a trailing-slash variant or no iss is rejected (RFC 9068 §4; RFC 7519 §4.1.1)',
  'rfc8707:audience':
    'aud must name this resource: another resource or no aud is rejected, an aud array containing ours is accepted (RFC 8707 §2; RFC 9068 §4; RFC 7519 §4.1.3; MCP authorization, token audience binding)',
  'rfc7519:exp-required':
    'exp is required and enforced: an expired, missing or non-numeric exp is rejected (RFC 9068 §2.2; RFC 7519 §4.1.4)',
  'rfc7519:clock-tolerance':
    'Time claims allow 30 s of clock skew: expired 10 s ago is accepted, 120 s ago is rejected (RFC 7519 §4.1.4 "small leeway")',
  'rfc7519:nbf': 'A token not yet valid (nbf beyond the tolerance) is rejected (RFC 7519 §4.1.5)',
  'rfc9068:iat-sanity':
    'A token issued in the future beyond the clock tolerance is rejected (RFC 9068 §2.2; RFC 7519 §4.1.6)',
  'rfc9068:sub-required':
    'sub is required: a missing, empty or non-string sub, or one with NUL or lone surrogates, is rejected (RFC 9068 §2.2; RFC 7519 §4.1.2)',
  'rfc9068:typ':
    'typ at+jwt, application/at+jwt, JWT (Keycloak, Auth0) or none is accepted; any other explicit type (id_token+jwt, dpop+jwt, JOSE …) is rejected (RFC 9068 §2.1, §4; RFC 8725 §3.11)',
  'rfc9449:key-bound-token':
    'A token with a cnf claim is key-bound and is rejected as a bearer token (RFC 7800 §3.1; RFC 9449 §7.1; RFC 8705 §3)',
  'rs:token-size-limit':
    'Credentials longer than 8192 characters are rejected before any parsing (local hardening against oversized input)',
  'rfc9068:jws-only':
    'An encrypted (JWE, five segments) token is rejected: access tokens are signed JWTs (RFC 9068 §2.1, §4; RFC 7516 §9)',
  'rfc9068:scope-claim':
    "scope is a space-separated string; another type or characters outside scope-token are rejected; Okta's scp array and Entra's scp string are honoured (RFC 9068 §2.2.3; RFC 8693 §4.2; RFC 6749 §3.3)",
  'rfc9068:client-id':
    'The client is client_id, else azp (Auth0, Entra); a non-string client_id is rejected (RFC 9068 §2.2; OIDC Core §2)',

  // Keys and discovery
  'rfc8725:jwks-rotation':
    'After the issuer rotates keys, a token with the new kid is accepted after one JWKS refetch, and a still-published old key keeps working (OIDC Core §10.1.1; RFC 7517 §5)',
  'rs:jwks-refetch-cooldown':
    'Unknown kids cause at most one JWKS refetch per cooldown, so forged kids cannot make the server hammer the issuer (OIDC Core §10.1.1; denial-of-service hardening)',
  'rs:issuer-unavailable-503':
    'When discovery or the JWKS cannot be fetched, a request with a token gets 503 with Retry-After, never 401 (RFC 9110 §15.6.4, §10.2.3; RFC 6750 §3.1 reserves invalid_token for bad tokens)',
  'rs:readyz-token-verification':
    '/readyz answers 503 while tokens cannot be verified and 200 once the issuer is reachable again (ARCHITECTURE §2, HTTP surface)',
  'rfc8414:discovery-urls':
    'Discovery URLs in order: RFC 8414 path-inserted, OIDC path-inserted, OIDC path-appended; a path-less issuer has only the two distinct ones (RFC 8414 §3.1, §5; OIDC Discovery §4)',
  'rfc8414:path-less-issuer':
    'A path-less issuer is discovered at /.well-known/oauth-authorization-server (RFC 8414 §3)',
  'rfc8414:path-inserted':
    'An issuer with a path is discovered at /.well-known/oauth-authorization-server/<path> (RFC 8414 §3.1)',
  'oidc-discovery:path-inserted':
    'An issuer with a path is discovered at /.well-known/openid-configuration/<path> (RFC 8414 §5)',
  'oidc-discovery:path-appended':
    'An issuer with a path is discovered at /<path>/.well-known/openid-configuration (OIDC Discovery §4.1; Keycloak)',
  'rfc8414:issuer-match':
    'A metadata document whose issuer differs from the configured one is refused, and requests then get 503 (RFC 8414 §3.3; OIDC Discovery §4.3)',
  'rfc7662:active-token':
    'RFC 7662 §2.2: an active introspected token for this resource is accepted with its scopes',
  'rfc7662:rejected':
    'RFC 7662 + RFC 8707: inactive, wrong audience/issuer, expired, subject-less, key-bound or non-access tokens get 401',
  'rfc7662:unknown-token': 'RFC 7662 §2.2: a token the issuer does not know is inactive: 401',
  'rfc7662:fail-closed':
    'An unreachable introspection endpoint is the server’s problem: 503 with Retry-After',
  'rfc7662:client-auth':
    'RFC 7662 §2.1: the resource server authenticates; wrong credentials give 503, never a pass',
  'rfc7662:embedded-opaque':
    'The embedded server can issue opaque tokens, validated by introspection end to end',
  'rfc7662:revoked': 'RFC 7009: a revoked opaque token is refused',
  'rfc7662:introspection-restricted': 'RFC 7662 §4: only the resource server client may introspect',
  'rfc9068:strict-typ': 'RFC 9068 §2.1: with AUTH_STRICT_TOKEN_TYPE=true only typ at+jwt is accepted',
  'auth:max-token-age':
    'AUTH_MAX_TOKEN_AGE (JWT validation) refuses a token whose iat is older than the setting, or that has no iat, whatever its exp, also after its verification was cached',
};
