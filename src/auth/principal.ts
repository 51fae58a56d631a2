/** Who a verified access token speaks for. The raw token itself never leaves the HTTP edge. */
export interface Principal {
  readonly subject: string;
  /** `client_id`, else `azp` (Auth0, Entra) or `cid` (Okta) (RFC 9068 §2.2); empty when absent. */
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly issuer: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  readonly tokenId?: string;
  /**
   * The RFC 7638 thumbprint of the key the token is bound to (`cnf.jkt`, RFC 9449 §6): such a
   * token is accepted only with a DPoP proof signed by that key, never as a bearer token.
   */
  readonly keyThumbprint?: string;
  /** The grant the token was issued under (the embedded server's `grant_id`), to refuse revoked grants. */
  readonly grantId?: string;
}

/** Verifies an access token and answers who it speaks for, or throws an `AppError`. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Throws unless tokens can be verified now (discovery and keys reachable). */
  ready(): Promise<void>;
}
