import { AppError, type ErrorCode } from '../../errors.js';
import { errorPage } from '../pages/error-page.js';
import type { PageResponse } from './send-page.js';
import { signInProblemTitle } from './sign-in-problem.js';

/** The heading a person sees for each code; a new code does not compile until it has one. */
const TITLES: Readonly<Record<ErrorCode, string>> = {
  invalid_request: 'Sign-in expired',
  invalid_params: 'Not valid',
  unauthorized: 'Not allowed',
  invalid_token: 'Not allowed',
  invalid_dpop_proof: 'Not allowed',
  insufficient_scope: 'Not allowed',
  forbidden: 'Not allowed',
  forbidden_host: 'Not allowed',
  forbidden_origin: 'Not allowed',
  method_not_allowed: 'Not allowed',
  quota_exceeded: 'Not allowed',
  not_found: 'Not found',
  payload_too_large: 'Form too large',
  unsupported_media_type: 'Unsupported form',
  rate_limited: 'Too many attempts',
  temporarily_unavailable: 'Try again later',
  internal_error: 'Something went wrong',
};

/** Whether an error was planned for and its message may be shown; anything else is logged. */
export const isSafeToShow = (error: unknown): error is AppError => error instanceof AppError && error.isSafe;

/**
 * The HTML page for an error on the sign-in pages: the error's status, a heading for its code and
 * its message. Anything unexpected is a 500 that tells the person only to start again.
 */
export function renderErrorPage(error: unknown): PageResponse {
  if (!isSafeToShow(error)) {
    return { status: 500, html: errorPage(TITLES.internal_error, 'Please start again from your app.') };
  }
  const title = (error.code === 'invalid_request' && signInProblemTitle(error.reason)) || TITLES[error.code];
  const headers: Record<string, string> = {};
  if (error.allow !== undefined) headers.allow = error.allow;
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, html: errorPage(title, error.message), headers };
}
