import type { IncomingMessage } from 'node:http';
import { AppError } from '../../errors.js';
import { readBody } from '../../web/read-body.js';

/** Sign-in and consent forms hold a token, a username and a password: far less than this. */
export const MAX_FORM_BYTES = 16 * 1024;

/** The fields of a posted web form of at most `MAX_FORM_BYTES`. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req, MAX_FORM_BYTES).catch((cause: unknown) => {
    if (cause instanceof AppError && cause.code === 'payload_too_large') {
      throw new AppError('payload_too_large', 'The form was too large.', { cause });
    }
    throw cause;
  });
  return new URLSearchParams(body);
}
