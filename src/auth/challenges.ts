import { TODO_SCOPES } from '../todos/scopes.js';
import { DPOP_ALGORITHMS } from './dpop-proof.js';

/** The schemes a client may present an access token with (RFC 6750; RFC 9449 §7.1). */
export type AuthScheme = 'Bearer' | 'DPoP';

export type ChallengeError =
  | 'invalid_token'
  | 'invalid_request'
  | 'insufficient_scope'
  | 'invalid_dpop_proof';

export interface ChallengeOptions {
  readonly resourceMetadataUrl: string;
  readonly error?: ChallengeError;
  readonly description?: string;
  /** The scopes to ask for; all todo scopes unless a narrower step-up names its own. */
  readonly scopes?: readonly string[];
}

/** RFC 7230 quoted-string: escape `\` and `"`, drop what a header cannot carry. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7E]/g, '').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * A `WWW-Authenticate: Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). Absent credentials get no
 * `error` parameter (RFC 6750 §3.1). The challenge names every todo scope so that an admin is
 * granted `read:todos` at the first sign-in; the authorization server grants only what the role allows.
 */
export function bearerChallenge(options: ChallengeOptions): string {
  return `Bearer ${[...errorParams(options), ...resourceParams(options)].join(', ')}`;
}

/**
 * A `WWW-Authenticate: DPoP` challenge (RFC 9449 §7.1): the same parameters as the Bearer one,
 * `error` first when there is one, plus the proof algorithms this server accepts (`algs`).
 */
export function dpopChallenge(options: ChallengeOptions): string {
  const algs = `algs=${quoted(DPOP_ALGORITHMS.join(' '))}`;
  return `DPoP ${[...errorParams(options), algs, ...resourceParams(options)].join(', ')}`;
}

/** The challenge of one scheme. */
export function challengeFor(scheme: AuthScheme, options: ChallengeOptions): string {
  return scheme === 'DPoP' ? dpopChallenge(options) : bearerChallenge(options);
}

/**
 * The challenges for a request without usable credentials: one per accepted scheme, none with
 * an error (RFC 9110 §11.6.1; RFC 9449 §7.2 shows `Bearer, DPoP algs="…"`).
 */
export function challengesFor(schemes: readonly AuthScheme[], options: ChallengeOptions): string {
  return schemes.map((scheme) => challengeFor(scheme, options)).join(', ');
}

function errorParams({ error, description }: ChallengeOptions): string[] {
  if (error === undefined) return [];
  const list = [`error=${quoted(error)}`];
  if (description !== undefined) list.push(`error_description=${quoted(description)}`);
  return list;
}

function resourceParams(options: ChallengeOptions): string[] {
  return [
    `resource_metadata=${quoted(options.resourceMetadataUrl)}`,
    `scope=${quoted((options.scopes ?? TODO_SCOPES).join(' '))}`,
  ];
}
