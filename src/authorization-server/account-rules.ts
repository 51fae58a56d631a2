import { AppError } from '../errors.js';
import type { AuthStore, UserRecord } from '../storage/auth-store.js';
import { checkPasswordStrength } from './password-strength.js';
import { generatePassword } from './passwords.js';

export const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
/** Usernames are case-insensitive: `Alice` and `alice` are one account, kept in lower case. */
export const canonical = (username: string) => username.trim().toLowerCase();
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

/** The account of a username, or a `not_found` error naming it. */
export async function existingUser(store: AuthStore, username: string): Promise<UserRecord> {
  const user = await store.findUserByUsername(canonical(username));
  if (user === undefined) throw new AppError('not_found', `no user named ${username}`);
  return user;
}

/** The given password, checked for length and strength, or a generated one. */
export async function checkedPassword(password: string | undefined, username: string): Promise<string> {
  if (password === undefined) return generatePassword();
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError(
      'invalid_params',
      `a password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  await checkPasswordStrength(password, username);
  return password;
}

/**
 * Refuses a change that would leave nobody able to administer everyone's todos: only enabled
 * admins count, and a disabled admin can be changed freely.
 */
export async function keepAnAdmin(store: AuthStore, user: UserRecord): Promise<void> {
  if (user.role !== 'admin' || user.disabledAt !== undefined) return;
  const admins = (await store.listUsers()).filter((u) => u.role === 'admin' && u.disabledAt === undefined);
  if (admins.length <= 1) throw new AppError('invalid_params', `${user.username} is the last admin`);
}
