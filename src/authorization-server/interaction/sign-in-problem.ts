import { AppError } from '../../errors.js';

/** The headings a person sees for each reason a sign-in cannot go on from the page they are on. */
const TITLES = {
  expired: 'Sign-in expired',
  other_browser_session: 'Sign-in expired',
  session_ended: 'Sign in again',
  already_signed_in: 'Already signed in',
  not_signed_in: 'Sign in first',
} as const;

/** Why a sign-in cannot go on: the `reason` of its `invalid_request`. */
export type SignInProblem = keyof typeof TITLES;

const isSignInProblem = (reason: string | undefined): reason is SignInProblem =>
  reason !== undefined && Object.hasOwn(TITLES, reason);

/** An `invalid_request` for a sign-in that cannot go on; `message` tells the person what to do. */
export function signInProblem(reason: SignInProblem, message: string, cause?: unknown): AppError {
  return new AppError('invalid_request', message, { reason, cause });
}

/** The heading for a sign-in problem, or `undefined` for any other reason. */
export function signInProblemTitle(reason: string | undefined): string | undefined {
  return isSignInProblem(reason) ? TITLES[reason] : undefined;
}
