import { type AccountAdmin, createAccountAdmin } from '../authorization-server/account-admin.js';
import { isRole } from '../authorization-server/roles.js';
import { createUserDirectory, type UserDirectory } from '../authorization-server/users.js';
import { AppError } from '../errors.js';
import type { Role, UserRecord } from '../storage/auth-store.js';
import { parseActionArgs } from './args.js';
import type { CliIo } from './io.js';
import { printTable } from './table.js';
import { printUsage } from './usage.js';
import { withStorage } from './with-storage.js';

export const USERS_USAGE = `Usage:
  todo-manager users add <username> --role <user|admin> [--password-stdin] [--database-url <url>]
  todo-manager users list [--database-url <url>]
  todo-manager users remove <username> [--database-url <url>]
  todo-manager users set-role <username> <user|admin> [--database-url <url>]
  todo-manager users set-password <username> [--password-stdin] [--database-url <url>]
  todo-manager users disable <username> [--database-url <url>]
  todo-manager users enable <username> [--database-url <url>]

Manages the accounts of the embedded authorization server. Usernames are case-insensitive.
Without --password-stdin, "users add" and "users set-password" generate a random password and
print it once. Removing a user, changing a role, setting a password or disabling an account
revokes every grant, refresh token and session the user holds: their access tokens are refused
at /mcp within 5 seconds on every running instance. A disabled account cannot sign in until it
is enabled again. The last enabled admin can be neither removed, demoted nor disabled.`;

/** One `users` command line, read but not yet checked. */
interface UsersRequest {
  readonly action: string;
  readonly username: string | undefined;
  /** `--role`, for `users add`. */
  readonly roleOption: string | undefined;
  /** The role after the username, for `users set-role`. */
  readonly roleArgument: string | undefined;
  readonly isPasswordOnStdin: boolean;
}

/** `users add|list|remove|set-role|set-password|disable|enable`: the embedded authorization server's accounts. */
export async function runUsers(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseActionArgs(args, {
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'database-url': { type: 'string' },
  });
  const [action, username, roleArgument] = positionals;
  if (values.help || action === undefined) return printUsage(io, USERS_USAGE, values.help === true);
  const request: UsersRequest = {
    action,
    username,
    roleOption: values.role,
    roleArgument,
    isPasswordOnStdin: values['password-stdin'] === true,
  };
  checkRequest(request);
  await withStorage(io, values['database-url'], (storage) => {
    const users = createUserDirectory(storage.auth);
    // The account changes the admin console makes, through the same service.
    const admin = createAccountAdmin({ store: storage.auth, revocations: storage.revocations, users });
    return runAction({ users, admin }, request, io);
  });
  return 0;
}

const ACTIONS = ['add', 'list', 'remove', 'set-role', 'set-password', 'disable', 'enable'];

/** Refuses a command line that cannot work before the database is opened. */
function checkRequest({ action, username, roleOption, roleArgument }: UsersRequest): void {
  if (!ACTIONS.includes(action)) throw new AppError('invalid_params', `unknown users command "${action}"`);
  if (action !== 'list' && username === undefined) {
    throw new AppError('invalid_params', `users ${action} needs a username`);
  }
  if (action === 'add') parseRole(roleOption, '--role is required: user or admin');
  if (action === 'set-role')
    parseRole(roleArgument, 'users set-role needs a role after the username: user or admin');
}

async function runAction(
  { users, admin }: { users: UserDirectory; admin: AccountAdmin },
  request: UsersRequest,
  io: CliIo,
): Promise<void> {
  const { action, username } = request;
  const needName = () => username ?? '';
  const givenPassword = async () => (request.isPasswordOnStdin ? readPassword(io) : undefined);
  switch (action) {
    case 'add': {
      const password = await givenPassword();
      const account = await users.add(needName(), parseRole(request.roleOption), password);
      io.stdout.write(`Added ${account.user.username} (${account.user.role}).\n`);
      if (password === undefined) io.stdout.write(`Password (shown once): ${account.password}\n`);
      return;
    }
    case 'list':
      io.stdout.write(userTable(await users.list()));
      return;
    case 'remove':
      await admin.removeAccount(needName());
      io.stdout.write(`Removed ${username}; their sign-ins are revoked.\n`);
      return;
    case 'set-password': {
      const password = await givenPassword();
      const secret = await admin.setPassword(needName(), password);
      io.stdout.write(`New password for ${username}; their sign-ins are revoked.\n`);
      if (password === undefined) io.stdout.write(`Password (shown once): ${secret}\n`);
      return;
    }
    case 'set-role':
      await admin.setRole(needName(), parseRole(request.roleArgument));
      io.stdout.write(`${username} is now ${request.roleArgument}; their sign-ins are revoked.\n`);
      return;
    case 'disable':
      await admin.disableAccount(needName());
      io.stdout.write(`Disabled ${username}; their sign-ins are revoked.\n`);
      return;
    case 'enable':
      await admin.enableAccount(needName());
      io.stdout.write(`Enabled ${username}; they can sign in again.\n`);
      return;
    default:
      throw new AppError('invalid_params', `unknown users command "${action}"`);
  }
}

function parseRole(value: string | undefined, whenMissing = 'a role is required: user or admin'): Role {
  if (value === undefined) throw new AppError('invalid_params', whenMissing);
  if (!isRole(value)) throw new AppError('invalid_params', `"${value}" is not a role: use user or admin`);
  return value;
}

/** A piped password: `echo secret |` ends it with a newline that is not part of it. */
async function readPassword(io: CliIo): Promise<string> {
  return (await io.readStdin()).replace(/\r?\n$/, '');
}

/** Users as aligned columns under a header, one a line. */
function userTable(users: readonly UserRecord[]): string {
  const rows = users.map((u) => [u.username, u.role, u.id, u.createdAt, u.disabledAt ? 'disabled' : '']);
  return printTable([['USERNAME', 'ROLE', 'SUBJECT', 'CREATED', 'STATE'], ...rows]);
}
