/**
 * The signature algorithms accepted for access tokens and DPoP proofs: asymmetric only, never
 * `none` and never HMAC (RFC 8725 §3.1, §3.2; RFC 9449 §4.3 item 5, §11.6).
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
