import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the sign-in and consent forms: an HMAC of the interaction id under a server
 * secret. The interaction is already bound to the browser by oidc-provider's signed cookie; the
 * token makes a forged cross-site form post fail even before that check.
 */
export function createCsrf(secret: string) {
  const sign = (uid: string) => createHmac('sha256', secret).update(`csrf:${uid}`).digest('base64url');
  return {
    token: sign,
    isValid(uid: string, token: unknown): boolean {
      if (typeof token !== 'string') return false;
      const expected = Buffer.from(sign(uid));
      const actual = Buffer.from(token);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}

export type Csrf = ReturnType<typeof createCsrf>;
