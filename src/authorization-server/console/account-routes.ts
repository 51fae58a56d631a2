import { clientAddress } from '../interaction/client-address.js';
import { accountPage } from '../pages/account-page.js';
import { type ActionRoute, done, field, frameOf, type Outcome, type PageRoute } from './console-route.js';

/** Where a signed-out browser lands after "Sign out everywhere". */
export const SIGNED_OUT_PATH = '/account/signed-out';

export const ACCOUNT_PAGES: Readonly<Record<string, PageRoute>> = {
  '/account': async (c) =>
    accountPage(frameOf(c, 'Your account', 'account'), await c.deps.account.apps(c.signedIn.user)),
};

/**
 * A new password: the current one is checked under the sign-in throttle (it is a password
 * guess like any other), and this browser stays signed in while every other session ends.
 */
const changePassword: ActionRoute = async (c, form): Promise<Outcome> => {
  const { throttle, account, behindProxy } = c.deps;
  const { user, session } = c.signedIn;
  const address = clientAddress(c.req, behindProxy);
  if (throttle.retryAfterMs(user.username, address) > 0) {
    return { to: '/account', notice: { kind: 'error', text: 'Too many wrong passwords. Try again later.' } };
  }
  if (!(await account.changePassword(user, form.get('current') ?? '', field(form, 'new')))) {
    throttle.recordFailure(user.username, address);
    return { to: '/account', notice: { kind: 'error', text: 'The current password is wrong.' } };
  }
  throttle.recordSuccess(user.username, address);
  // The users service ended every session of the account; this one is saved again.
  await session.persist();
  return {
    to: '/account',
    notice: done("Password changed. Every other session and every app's access were revoked."),
  };
};

export const ACCOUNT_ACTIONS: Readonly<Record<string, ActionRoute>> = {
  '/account/revoke': async (c, form) => {
    await c.deps.account.revokeApp(c.signedIn.user, field(form, 'grant'));
    return { to: '/account', notice: done('Access revoked: the app can no longer use your account.') };
  },
  '/account/sign-out-everywhere': async (c) => {
    await c.deps.account.signOutEverywhere(c.signedIn.user);
    return { to: SIGNED_OUT_PATH };
  },
  '/account/password': changePassword,
};
