import type { ServerResponse } from 'node:http';
import { bearerChallenge } from '../auth/challenges.js';
import { AppError, publicMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { sendJson } from '../web/send-json.js';

/** How long a client should wait before retrying when a dependency is briefly unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Maps any error to its HTTP answer, once for the whole edge: the status of its code, a JSON body
 * `{ error, error_description }`, and the headers the code calls for (RFC 6750 §3 challenges,
 * Retry-After, Allow). Unknown errors are logged and answered as a generic 500. Bearer challenges
 * go only on answers from a protected resource, which pass its metadata URL.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  log: Logger,
  resourceMetadataUrl?: string,
): void {
  if (res.headersSent) return void res.destroy();
  const appError = error instanceof AppError ? error : undefined;
  const body = { error: appError?.code ?? 'internal_error', error_description: publicMessage(error) };
  sendJson(res, appError?.status ?? 500, body, headersFor(appError, error, log, resourceMetadataUrl));
}

/** The headers an error's code calls for; every code is listed, so a new one must be decided here. */
function headersFor(
  appError: AppError | undefined,
  error: unknown,
  log: Logger,
  resourceMetadataUrl: string | undefined,
): Record<string, string | number> {
  switch (appError?.code) {
    case 'unauthorized':
      // Absent credentials get no error code (RFC 6750 §3.1).
      return resourceMetadataUrl === undefined
        ? {}
        : { 'www-authenticate': bearerChallenge({ resourceMetadataUrl }) };
    case 'invalid_token':
    case 'invalid_request':
      if (resourceMetadataUrl === undefined) return {};
      return {
        'www-authenticate': bearerChallenge({
          resourceMetadataUrl,
          error: appError.code,
          description: appError.message,
        }),
      };
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
