import type { ServerResponse } from 'node:http';
import { type AuthScheme, challengeFor, challengesFor } from '../auth/challenges.js';
import { AppError, publicMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { sendJson } from '../web/send-json.js';

/** How long a client should wait before retrying when a dependency is briefly unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** What a protected resource's challenges name: its metadata, and the schemes it accepts (in order). */
export interface ChallengeContext {
  readonly resourceMetadataUrl: string;
  readonly schemes: readonly AuthScheme[];
}

/**
 * Maps any error to its HTTP answer, once for the whole edge: the status of its code, a JSON body
 * `{ error, error_description }`, and the headers the code calls for (RFC 6750 §3 and RFC 9449
 * §7.1 challenges, Retry-After, Allow). Unknown errors are logged and answered as a generic 500.
 * Challenges go only on answers from a protected resource, which pass their context.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  log: Logger,
  challenge?: ChallengeContext,
): void {
  if (res.headersSent) return void res.destroy();
  const appError = error instanceof AppError ? error : undefined;
  const body = { error: appError?.code ?? 'internal_error', error_description: publicMessage(error) };
  sendJson(res, appError?.status ?? 500, body, headersFor(appError, error, log, challenge));
}

/** The headers an error's code calls for; every code is listed, so a new one must be decided here. */
function headersFor(
  appError: AppError | undefined,
  error: unknown,
  log: Logger,
  challenge: ChallengeContext | undefined,
): Record<string, string | number> {
  switch (appError?.code) {
    case 'unauthorized':
      // Absent credentials get a challenge per accepted scheme, with no error code (RFC 6750 §3.1).
      return challenge === undefined
        ? {}
        : { 'www-authenticate': challengesFor(challenge.schemes, challenge) };
    case 'invalid_token':
    case 'invalid_request':
    case 'invalid_dpop_proof': {
      if (challenge === undefined) return {};
      // The challenge of the scheme the request used (RFC 9449 §7.1, §7.2).
      const scheme = appError.scheme ?? challenge.schemes[0] ?? 'Bearer';
      const options = { ...challenge, error: appError.code, description: appError.message };
      return { 'www-authenticate': challengeFor(scheme, options) };
    }
    case 'temporarily_unavailable':
      log.warn('dependency unavailable', { err: error });
      return { 'retry-after': appError.retryAfterSeconds ?? RETRY_AFTER_SECONDS };
    case 'rate_limited':
      return { 'retry-after': appError.retryAfterSeconds ?? RETRY_AFTER_SECONDS };
    case 'method_not_allowed':
      return appError.allow === undefined ? {} : { allow: appError.allow };
    case undefined:
    case 'internal_error':
      log.error('request failed', { err: error });
      return {};
    case 'insufficient_scope':
    case 'invalid_params':
    case 'not_found':
    case 'forbidden':
    case 'forbidden_host':
    case 'forbidden_origin':
    case 'payload_too_large':
    case 'unsupported_media_type':
    case 'quota_exceeded':
      return {};
  }
}
