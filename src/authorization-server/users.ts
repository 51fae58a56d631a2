import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { AuthStore, Role, UserRecord } from '../storage/auth-store.js';
import { checkPasswordStrength } from './password-strength.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
/** Usernames are case-insensitive: `Alice` and `alice` are one account, kept in lower case. */
const canonical = (username: string) => username.trim().toLowerCase();
export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;

export interface NewAccount {
  readonly user: UserRecord;
  /** The password, shown once when it was generated. */
  readonly password: string;
}

/** The embedded authorization server's accounts: usernames, scrypt password hashes and roles. */
export interface UserDirectory {
  add(username: string, role: Role, password?: string): Promise<NewAccount>;
  /** The user for a username and password, or `undefined`, taking the same time either way. */
  authenticate(username: string, password: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** The user of a username (case-insensitive), or `undefined`. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /** Removes a user and revokes every grant and token they hold. */
  remove(username: string): Promise<void>;
  /** Changes a role and revokes the user's grants, so no token outlives the old role's scopes. */
  setRole(username: string, role: Role): Promise<void>;
  /** Sets a new password (generated when none is given) and revokes the user's sign-ins. */
  setPassword(username: string, password?: string): Promise<string>;
  /**
   * On a fresh database, creates an `admin` and a `user` account with random passwords, both or
   * neither; returns them, or none when the database already had accounts.
   */
  bootstrap(): Promise<NewAccount[]>;
}

export function createUserDirectory(store: AuthStore, now: () => Date = () => new Date()): UserDirectory {
  // Verifying against a real hash when the user is unknown keeps response times alike.
  let decoyHash: Promise<string> | undefined;
  const existing = (username: string) => existingUser(store, username);

  const directory: UserDirectory = {
    add: (username, role, password) => addUser(store, now, username, role, password),

    async authenticate(username, password) {
      const name = canonical(username);
      const user = USERNAME.test(name) ? await store.findUserByUsername(name) : undefined;
      if (password.length > MAX_PASSWORD_LENGTH) return undefined;
      decoyHash ??= hashPassword(generatePassword());
      const isMatch = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
      return user !== undefined && isMatch ? user : undefined;
    },

    findById: (id) => store.findUserById(id),
    async findByUsername(username) {
      const name = canonical(username);
      return USERNAME.test(name) ? store.findUserByUsername(name) : undefined;
    },
    list: () => store.listUsers(),

    async remove(username) {
      const user = await existing(username);
      await keepAnAdmin(store, user);
      await store.revokeAccount(user.id);
      await store.deleteUser(user.id);
    },

    async setRole(username, role) {
      const user = await existing(username);
      if (role !== 'admin') await keepAnAdmin(store, user);
      await store.setUserRole(user.id, role);
      await store.revokeAccount(user.id);
    },

    async setPassword(username, password) {
      const user = await existing(username);
      const secret = await checkedPassword(password, user.username);
      await store.setUserPassword(user.id, await hashPassword(secret));
      await store.revokeAccount(user.id);
      return secret;
    },

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

async function existingUser(store: AuthStore, username: string): Promise<UserRecord> {
  const user = await store.findUserByUsername(canonical(username));
  if (user === undefined) throw new AppError('not_found', `no user named ${username}`);
  return user;
}

/** The given password, checked for length and strength, or a generated one. */
async function checkedPassword(password: string | undefined, username: string): Promise<string> {
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

/** Refuses a change that would leave nobody able to administer everyone's todos. */
async function keepAnAdmin(store: AuthStore, user: UserRecord): Promise<void> {
  if (user.role !== 'admin') return;
  const admins = (await store.listUsers()).filter((u) => u.role === 'admin');
  if (admins.length <= 1) throw new AppError('invalid_params', `${user.username} is the last admin`);
}
