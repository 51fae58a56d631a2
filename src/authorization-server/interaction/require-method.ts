import type { IncomingMessage } from 'node:http';
import { AppError } from '../../errors.js';

/** The pages are read with GET and their forms sent with POST; anything else is a 405. */
export function requireMethod(req: IncomingMessage, method: 'GET' | 'POST'): void {
  if (req.method !== method) throw new AppError('method_not_allowed', 'Use the form.', { allow: method });
}
