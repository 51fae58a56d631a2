/** Sender-constrained tokens (DPoP, RFC 9449) at the resource server and the embedded authorization server. */
export const DPOP_REQUIREMENTS: Readonly<Record<string, string>> = {
  // The resource server (RFC 9449 §4.3, §7)
  'rfc9449:accepted':
    'A token bound to a key (cnf.jkt) with a fresh proof by that key, sent as `Authorization: DPoP`, is accepted, for ES256, RS256, PS256, EdDSA and more (RFC 9449 §7.1)',
  'rfc9449:single-proof':
    'Exactly one DPoP header: two headers, two proofs in one, or none with the DPoP scheme → 401 invalid_dpop_proof (RFC 9449 §4.3 item 1)',
  'rfc9449:well-formed-proof':
    'A proof that is oversized, not a compact JWS, or has undecodable parts → 401 invalid_dpop_proof (RFC 9449 §4.3 item 2)',
  'rfc9449:required-claims':
    'jti (at most 256 characters) and a numeric iat are required (RFC 9449 §4.3 item 3, §11.1)',
  'rfc9449:typ': 'typ must be dpop+jwt (RFC 9449 §4.3 item 4)',
  'rfc9449:asymmetric-alg':
    'Only asymmetric algorithms from the allow-list with acceptable keys: none, HS256 and 1024-bit RSA are refused (RFC 9449 §4.3 item 5, §11.6)',
  'rfc9449:signature':
    'The signature must verify with the jwk in the proof header; unknown crit extensions refuse the proof (RFC 9449 §4.3 item 6)',
  'rfc9449:public-jwk':
    'The jwk must be a public asymmetric key: private members, a symmetric key or no key refuse the proof (RFC 9449 §4.3 item 7)',
  'rfc9449:htm': 'htm must equal the request method exactly (RFC 9449 §4.3 item 8)',
  'rfc9449:htu':
    'htu must name PUBLIC_URL/mcp after RFC 3986 normalization, without query, fragment or userinfo; another host, port, scheme or path is refused (RFC 9449 §4.2, §4.3 item 9)',
  'rfc9449:iat-window':
    'iat must be within 60 s of now, either way: minutes off are refused, 30 s of skew is accepted (RFC 9449 §4.3 item 11, §11.1)',
  'rfc9449:ath':
    "ath must be the SHA-256 of the token presented: missing or another token's hash is refused (RFC 9449 §4.3 item 12, §7)",
  'rfc9449:key-binding':
    "The proof's key thumbprint must equal the token's cnf.jkt; another confirmation method (x5t#S256) cannot be satisfied → 401 DPoP invalid_token (RFC 9449 §4.3 item 12, §6.1)",
  'rfc9449:proof-replay':
    'A proof (its jti, for its key) is accepted once; a second use is refused (RFC 9449 §11.1)',
  'rfc9449:cross-instance-replay':
    'A proof accepted by one instance is refused by another instance on the same PostgreSQL database (RFC 9449 §11.1)',
  'rfc9449:jti-replay-store':
    'The replay store claims a key once, atomically across instances, and forgets it when its time is over (SQLite, PostgreSQL, Redis) (RFC 9449 §11.1)',
  'rfc9449:bound-as-bearer':
    'A DPoP-bound token sent with the Bearer scheme → 401 Bearer invalid_token, with or without a proof beside it (RFC 9449 §7.2)',
  'rfc9449:unbound-as-dpop':
    'A token without cnf.jkt sent with the DPoP scheme → 401 DPoP invalid_token (RFC 9449 §7.1)',
  'rfc9449:token-cache-proof':
    'A verified token is cached, yet every request needs its own fresh, unused proof (RFC 9449 §4.3; ARCHITECTURE §2)',
  'rfc9449:dpop-challenge':
    'Proof failures → 401 `DPoP error="invalid_dpop_proof"`, token failures → `error="invalid_token"`, each with algs, resource_metadata and scope (RFC 9449 §7.1)',
  'rfc9449:both-challenges':
    'With AUTH_DPOP=allowed a 401 without credentials carries a Bearer and a DPoP challenge, and Bearer tokens keep working (RFC 9449 §7.2)',
  'rfc9449:step-up-dpop':
    'A DPoP caller lacking a scope gets 403 with a DPoP insufficient_scope challenge naming the scope (RFC 9449 §7.1; RFC 6750 §3.1)',
  'rfc9449:prm-algs':
    'Protected resource metadata lists dpop_signing_alg_values_supported, and dpop_bound_access_tokens_required only when required (RFC 9728 §2)',
  'rfc9449:cors-dpop-header':
    'A browser preflight may send the DPoP request header (RFC 9449 §7.1; Fetch CORS)',
  'rfc9449:mode-required':
    'AUTH_DPOP=required: only DPoP-bound tokens; a Bearer token → 401 DPoP invalid_token; the challenge and metadata say so',
  'rfc9449:mode-off':
    'AUTH_DPOP=off: the DPoP scheme counts as no credentials, bound tokens are refused, nothing advertises DPoP, the embedded server binds nothing',
  'rfc9449:introspection-cnf':
    'With introspection, cnf.jkt and token_type DPoP bind the token the same way (RFC 9449 §6.2; RFC 7662 §2.2)',

  // The embedded authorization server (RFC 9449 §5, §6)
  'rfc9449:as-metadata': 'The embedded server advertises dpop_signing_alg_values_supported (RFC 9449 §5.1)',
  'rfc9449:as-binds-tokens':
    'A token request with a proof gets token_type DPoP and an at+jwt with cnf.jkt of the proof key (RFC 9449 §5, §6.1)',
  'rfc9449:as-binds-refresh':
    "A public client's refresh token is bound to the key: refreshing with it works, with another key fails (RFC 9449 §5)",
  'rfc9449:oauth4webapi':
    'oauth4webapi, an independent RFC 9449 client, signs in through the embedded server and calls the tools with DPoP',
};
