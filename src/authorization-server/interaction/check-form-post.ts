import type { IncomingMessage } from 'node:http';
import { AppError } from '../../errors.js';
import { requireMethod } from './require-method.js';

/**
 * A form post must come from our own pages: POST, an `Origin` that is the issuer's (or none, as
 * older browsers send), and a web form (`application/x-www-form-urlencoded`).
 */
export function checkFormPost(req: IncomingMessage, issuerOrigin: string): void {
  requireMethod(req, 'POST');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== issuerOrigin) {
    throw new AppError('forbidden_origin', 'Cross-site form posts are refused.');
  }
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
    throw new AppError('unsupported_media_type', 'The form was not sent as a web form.');
  }
}
