import { TODO_SCOPES } from '../todos/scopes.js';

export type ChallengeError = 'invalid_token' | 'invalid_request' | 'insufficient_scope';

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
  const params: string[] = [];
  if (options.error !== undefined) {
    params.push(`error=${quoted(options.error)}`);
    if (options.description !== undefined) params.push(`error_description=${quoted(options.description)}`);
  }
  params.push(`resource_metadata=${quoted(options.resourceMetadataUrl)}`);
  params.push(`scope=${quoted((options.scopes ?? TODO_SCOPES).join(' '))}`);
  return `Bearer ${params.join(', ')}`;
}
