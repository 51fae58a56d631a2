import type { UserRecord } from '../../storage/auth-store.js';
import type { UserDirectory } from '../users.js';
import type { Interaction } from './load-interaction.js';
import { signInProblem } from './sign-in-problem.js';

/**
 * The user who signed in to this interaction; gone (removed, disabled, or the session ended)
 * means start again.
 */
export async function signedInUser(users: UserDirectory, interaction: Interaction): Promise<UserRecord> {
  const accountId = interaction.session?.accountId;
  const user = accountId === undefined ? undefined : await users.findById(accountId);
  if (user === undefined || user.disabledAt !== undefined) {
    throw signInProblem('session_ended', 'Your session has ended. Start again from your app.');
  }
  return user;
}
