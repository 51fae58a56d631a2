import { AppError } from '../../errors.js';
import type { Csrf } from '../csrf.js';

/** A posted form must carry the CSRF token of the page that showed it. */
export function checkCsrfToken(csrf: Csrf, uid: string, form: URLSearchParams): void {
  if (!csrf.isValid(uid, form.get('csrf'))) {
    throw new AppError('forbidden', 'The form has expired. Reload the page and try again.');
  }
}
