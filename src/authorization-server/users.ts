import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { AuthStore, Role, UserRecord } from '../storage/auth-store.js';
import { type AccountChanges, createAccountChanges } from './account-changes.js';
import { canonical, checkedPassword, MAX_PASSWORD_LENGTH, USERNAME } from './account-rules.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

export { MIN_PASSWORD_LENGTH } from './account-rules.js';

export interface NewAccount {
  readonly user: UserRecord;
  /** The password, shown once when it was generated. */
  readonly password: string;
}

/**
 * What a sign-in with a username and password comes to: the user, or why not. `disabled` is told
 * only to whoever knew the password, so it reveals nothing about accounts to anyone else.
 */
export type SignInCheck =
  | { readonly outcome: 'ok'; readonly user: UserRecord }
  | { readonly outcome: 'wrong_credentials' }
  | { readonly outcome: 'disabled' };

/** The embedded authorization server's accounts: usernames, scrypt password hashes and roles. */
export interface UserDirectory extends AccountChanges {
  add(username: string, role: Role, password?: string): Promise<NewAccount>;
  /** The enabled user for a username and password, or `undefined`, taking the same time either way. */
  authenticate(username: string, password: string): Promise<UserRecord | undefined>;
  /** As `authenticate`, telling a wrong password from a disabled account. */
  checkSignIn(username: string, password: string): Promise<SignInCheck>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** The user of a username (case-insensitive), or `undefined`. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /**
   * On a fresh database, creates an `admin` and a `user` account with random passwords, both or
   * neither; returns them, or none when the database already had accounts.
   */
  bootstrap(): Promise<NewAccount[]>;
}

export interface UserDirectoryOptions {
  readonly now?: () => Date;
  /** Told of grants revoked by a change to an account (see `AccountChangeDeps`). */
  readonly onRevoked?: (grantIds: readonly string[], until: number) => void;
}

export function createUserDirectory(store: AuthStore, options: UserDirectoryOptions = {}): UserDirectory {
  const { now = () => new Date(), onRevoked } = options;
  // Verifying against a real hash when the user is unknown keeps response times alike.
  let decoyHash: Promise<string> | undefined;

  const checkSignIn = async (username: string, password: string): Promise<SignInCheck> => {
    const name = canonical(username);
    const user = USERNAME.test(name) ? await store.findUserByUsername(name) : undefined;
    if (password.length > MAX_PASSWORD_LENGTH) return { outcome: 'wrong_credentials' };
    decoyHash ??= hashPassword(generatePassword());
    const isMatch = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
    if (user === undefined || !isMatch) return { outcome: 'wrong_credentials' };
    return user.disabledAt === undefined ? { outcome: 'ok', user } : { outcome: 'disabled' };
  };

  const directory: UserDirectory = {
    ...createAccountChanges({ store, now, ...(onRevoked && { onRevoked }) }),
    add: (username, role, password) => addUser(store, now, username, role, password),
    checkSignIn,
    async authenticate(username, password) {
      const check = await checkSignIn(username, password);
      return check.outcome === 'ok' ? check.user : undefined;
    },
    findById: (id) => store.findUserById(id),
    async findByUsername(username) {
      const name = canonical(username);
      return USERNAME.test(name) ? store.findUserByUsername(name) : undefined;
    },
    list: () => store.listUsers(),

    async bootstrap() {
      if ((await store.countUsers()) > 0) return [];
      const accounts = [
        await newAccount(now, 'admin', 'admin', undefined),
        await newAccount(now, 'user', 'user', undefined),
      ];
      return (await store.insertFirstUsers(accounts.map((a) => a.user))) ? accounts : [];
    },
  };
  return directory;
}

async function addUser(
  store: AuthStore,
  now: () => Date,
  username: string,
  role: Role,
  password: string | undefined,
): Promise<NewAccount> {
  const account = await newAccount(now, username, role, password);
  if (await store.findUserByUsername(account.user.username)) {
    throw new AppError('invalid_params', `a user named ${account.user.username} already exists`);
  }
  await store.insertUser(account.user);
  return account;
}

/** A checked username and password, hashed, as a record ready to insert. */
async function newAccount(
  now: () => Date,
  username: string,
  role: Role,
  password: string | undefined,
): Promise<NewAccount> {
  const name = canonical(username);
  if (!USERNAME.test(name)) {
    throw new AppError(
      'invalid_params',
      'a username is 1 to 64 letters, digits or . _ @ - and starts with a letter or digit',
    );
  }
  const secret = await checkedPassword(password, name);
  const user: UserRecord = {
    id: randomBytes(16).toString('base64url'),
    username: name,
    passwordHash: await hashPassword(secret),
    role,
    createdAt: now().toISOString(),
  };
  return { user, password: secret };
}
