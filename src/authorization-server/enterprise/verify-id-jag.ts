import { createHash } from 'node:crypto';
import { decodeJwt, type JWTPayload, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import type { ReplayStore } from '../../storage/replay-store.js';
import { grantError } from './grant-error.js';

/** The JWT `typ` of an Identity Assertion JWT Authorization Grant (draft-ietf-oauth-identity-assertion-authz-grant §3). */
export const ID_JAG_TYPE = 'oauth-id-jag+jwt';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_S = 60;
/** An ID-JAG is short-lived; an older one is refused even if its `exp` says otherwise. */
const MAX_AGE_S = 600;

export interface TrustedIdp {
  readonly issuer: string;
  readonly claim: string;
  readonly accounts: 'create' | 'existing';
  readonly keys: JWTVerifyGetKey;
}

export interface IdJagExpectations {
  /** Our issuer: the ID-JAG's `aud`. */
  readonly audience: string;
  /** The MCP resource: the ID-JAG's `resource`. */
  readonly resource: string;
  /** The client that authenticated at the token endpoint: the ID-JAG's `client_id`. */
  readonly clientId: string;
}

const invalidGrant = (description: string) => grantError('invalid_grant', description);

/** The trusted IdP that issued an assertion, judged from its unverified `iss` before any key is fetched. */
function issuerOf(assertion: string, idps: readonly TrustedIdp[]): TrustedIdp {
  let iss: unknown;
  try {
    iss = decodeJwt(assertion).iss;
  } catch {
    throw invalidGrant('the assertion is not a JWT');
  }
  const idp = idps.find((candidate) => candidate.issuer === iss);
  if (idp === undefined)
    throw invalidGrant('the ID-JAG issuer is not a trusted enterprise identity provider');
  return idp;
}

/** The signature, `typ`, `aud`, `exp`/`iat` and required claims, with jose's verdict turned into invalid_grant. */
async function verifiedClaims(assertion: string, idp: TrustedIdp, audience: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(assertion, idp.keys, {
      issuer: idp.issuer,
      audience,
      typ: ID_JAG_TYPE,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_AGE_S,
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
    });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw invalidGrant('the ID-JAG has expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      throw invalidGrant(`the ID-JAG ${error.claim} claim is not acceptable`);
    }
    if (error instanceof joseErrors.JOSEError) throw invalidGrant(`the ID-JAG is not valid: ${error.code}`);
    throw grantError('temporarily_unavailable', 'the enterprise identity provider keys cannot be had now');
  }
}

/**
 * Checks an ID-JAG presented with the JWT bearer grant (RFC 7523 §3, the ID-JAG draft §4.3):
 * a trusted issuer, its signature, `typ`, `aud` = our issuer, `client_id` = the authenticated
 * client, `resource` = our MCP resource, `exp`/`iat`, and a `jti` used once across every
 * instance sharing the replay store. Returns the IdP and the claims; anything else is the
 * RFC 6749 error (invalid_grant, invalid_target) with a description.
 */
export async function verifyIdJag(
  assertion: string,
  idps: readonly TrustedIdp[],
  expected: IdJagExpectations,
  replay: ReplayStore,
): Promise<{ idp: TrustedIdp; claims: JWTPayload }> {
  const idp = issuerOf(assertion, idps);
  const claims = await verifiedClaims(assertion, idp, expected.audience);
  if (claims.client_id !== expected.clientId) {
    throw invalidGrant('the ID-JAG was issued to another client');
  }
  const { resource } = claims;
  const resources = Array.isArray(resource) ? resource : [resource];
  if (resources.length !== 1 || resources[0] !== expected.resource) {
    throw grantError('invalid_target', 'the ID-JAG resource is not this MCP server');
  }
  const key = createHash('sha256')
    .update(`${idp.issuer}\n${String(claims.jti)}`)
    .digest('base64url');
  // Replay keys are base64url (PostgreSQL builds its one-round-trip claim from them); the prefix
  // keeps ID-JAGs apart from DPoP proofs, whose keys are bare hashes.
  if (!(await replay.claim(`idjag-${key}`, Math.ceil(Number(claims.exp)) + CLOCK_TOLERANCE_S))) {
    throw invalidGrant('the ID-JAG has been used already');
  }
  return { idp, claims };
}
