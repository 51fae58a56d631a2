#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isRole } from './authorization-server/roles.js';
import { listSigningKeyIds, rotateSigningKey } from './authorization-server/signing-keys.js';
import { createUserDirectory } from './authorization-server/users.js';
import { ConfigError, type ConfigInput, configSchema, loadConfig, parseDatabaseUrl } from './config.js';
import { AppError } from './errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from './log.js';
import { openStorage, type Storage } from './storage/open-storage.js';
import { type AuditEvent, MAX_AUDIT_PAGE } from './todos/audit-log.js';

const SETTINGS = Object.keys(configSchema.shape) as (keyof ConfigInput)[];
const flagName = (key: string) => key.toLowerCase().replaceAll('_', '-');
/** Where the variable names start in `serve --help`: after the longest flag, plus two spaces. */
const FLAG_COLUMN = Math.max(...SETTINGS.map((key) => `  --${flagName(key)} <value>`.length)) + 2;

const USAGE = `Usage: todo-manager <command> [options]

Commands:
  serve                                  Start the MCP server (what "npm start" runs)
  migrate                                Apply database migrations and exit
  users add <username> --role <role>     Add a user of the embedded authorization server
  users list                             List users and their roles
  users remove <username>                Remove a user and revoke their sign-ins
  users set-role <username> <role>       Change a role (user or admin) and revoke their sign-ins
  users set-password <username>          Set a new password and revoke their sign-ins
  keys list                              List the token signing keys
  keys rotate                            Start signing with a new key (takes effect at the next start)
  audit tail                             Show the newest audit events

Run "todo-manager <command> --help" for a command's options.`;

const SERVE_USAGE = `Usage: todo-manager serve [options]

Starts the MCP server. Every option can also be given as the environment variable in brackets;
an option wins over the variable.

Options:
${SETTINGS.map((key) => `${`  --${flagName(key)} <value>`.padEnd(FLAG_COLUMN)}[${key}]`).join('\n')}
${'  -h, --help'.padEnd(FLAG_COLUMN)}Show this help`;

const USERS_USAGE = `Usage:
  todo-manager users add <username> --role <user|admin> [--password-stdin] [--database-url <url>]
  todo-manager users list [--database-url <url>]
  todo-manager users remove <username> [--database-url <url>]
  todo-manager users set-role <username> <user|admin> [--database-url <url>]
  todo-manager users set-password <username> [--password-stdin] [--database-url <url>]

Manages the accounts of the embedded authorization server. Usernames are case-insensitive.
Without --password-stdin, "users add" and "users set-password" generate a random password and
print it once. Removing a user, changing a role or setting a password revokes every grant and
refresh token the user holds; access tokens already issued expire within 15 minutes. The last
admin can be neither removed nor demoted.`;

const KEYS_USAGE = `Usage:
  todo-manager keys list [--database-url <url>]
  todo-manager keys rotate [--database-url <url>]

The embedded authorization server signs tokens with the newest key. After "keys rotate", restart
the server(s): new tokens use the new key while the old key stays published for 24 hours, so
tokens it signed stay valid until they expire.`;

const AUDIT_USAGE = `Usage:
  todo-manager audit tail [--limit <n>] [--actor <sub>] [--database-url <url>]

Prints the newest audit events, one a line, oldest of them first: every create, update and
delete of a todo and every call refused for want of a scope. Events are append-only and never
hold todo content or tokens.

Options:
  --limit <n>                     How many events, 1 to ${MAX_AUDIT_PAGE} (default 20)
  --actor <sub>                   Only this token subject's events
  --database-url <url>            [DATABASE_URL]
  -h, --help                      Show this help`;

const MIGRATE_USAGE = `Usage: todo-manager migrate [--database-url <url>]

Applies pending database migrations to DATABASE_URL and exits. The server also migrates at start.

Options:
  --database-url <url>            [DATABASE_URL]
  -h, --help                      Show this help`;

/** Reads settings from the environment, then lets `--kebab-case` flags override them. */
function readSettings(args: string[], allowed: readonly (keyof ConfigInput)[]): ConfigInput | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(allowed.map((key) => [flagName(key), { type: 'string' as const }])),
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const settings: ConfigInput = {};
  for (const key of SETTINGS) {
    const value = (values as Record<string, unknown>)[flagName(key)] ?? process.env[key];
    if (typeof value === 'string') settings[key] = value;
  }
  return settings;
}

async function serve(args: string[]): Promise<void> {
  const settings = readSettings(args, SETTINGS);
  if (settings === 'help') return void process.stdout.write(`${SERVE_USAGE}\n`);
  const config = loadConfig(settings);
  const log = createLogger(process.stdout, config.logLevel);
  // Loaded here so that commands which never serve do not load the authorization server.
  const { createApp } = await import('./app.js');
  const app = await createApp(config, log);
  const address = await app.listen();
  if (app.bootstrapped.length > 0) {
    const lines = app.bootstrapped.map(
      ({ user, password }) => `  ${user.username.padEnd(8)} role ${user.role.padEnd(6)} password ${password}`,
    );
    process.stdout.write(
      `\nFirst start: the embedded authorization server created these accounts.\n${lines.join('\n')}\n` +
        'The passwords are shown only this once. Manage accounts with "npm run cli -- users --help".\n\n',
    );
  }
  log.info('listening', {
    mcp: config.resource,
    address: `${address.address}:${address.port}`,
    issuer: config.auth.issuer,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info('shutting down', { signal });
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function migrateCommand(args: string[]): Promise<void> {
  const settings = readSettings(args, ['DATABASE_URL']);
  if (settings === 'help') return void process.stdout.write(`${MIGRATE_USAGE}\n`);
  const { applied } = await withStorage(settings.DATABASE_URL, async (storage) => storage);
  process.stdout.write(
    applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'The database is up to date.\n',
  );
}

/** Opens the database named by `--database-url` or `DATABASE_URL` for one command, then closes it. */
async function withStorage<T>(
  databaseUrl: string | undefined,
  run: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await openStorage(parseDatabaseUrl(databaseUrl || process.env.DATABASE_URL));
  try {
    return await run(storage);
  } finally {
    await storage.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function parseRole(value: string | undefined): 'user' | 'admin' {
  if (value === undefined || !isRole(value))
    throw new AppError('invalid_params', 'the role must be user or admin');
  return value;
}

async function usersCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'database-url': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [action, username, role] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(`${USERS_USAGE}\n`);
    if (!values.help) process.exitCode = 1;
    return;
  }
  const needName = () => {
    if (username === undefined) throw new AppError('invalid_params', `users ${action} needs a username`);
    return username;
  };
  await withStorage(values['database-url'], async (storage) => {
    const users = createUserDirectory(storage.auth);
    switch (action) {
      case 'add': {
        const password = values['password-stdin'] ? await readStdin() : undefined;
        const account = await users.add(needName(), parseRole(values.role), password);
        process.stdout.write(`Added ${account.user.username} (${account.user.role}).\n`);
        if (password === undefined) process.stdout.write(`Password (shown once): ${account.password}\n`);
        return;
      }
      case 'list': {
        const rows = (await users.list()).map((u) => [u.username, u.role, u.id, u.createdAt]);
        const table = [['USERNAME', 'ROLE', 'SUBJECT', 'CREATED'], ...rows];
        const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
        for (const row of table)
          process.stdout.write(
            `${row
              .map((c, i) => c.padEnd(widths[i] ?? 0))
              .join('  ')
              .trimEnd()}\n`,
          );
        return;
      }
      case 'remove':
        await users.remove(needName());
        process.stdout.write(`Removed ${username}; their sign-ins are revoked.\n`);
        return;
      case 'set-password': {
        const password = values['password-stdin'] ? await readStdin() : undefined;
        const secret = await users.setPassword(needName(), password);
        process.stdout.write(`New password for ${username}; their sign-ins are revoked.\n`);
        if (password === undefined) process.stdout.write(`Password (shown once): ${secret}\n`);
        return;
      }
      case 'set-role':
        await users.setRole(needName(), parseRole(role));
        process.stdout.write(`${username} is now ${role}; their sign-ins are revoked.\n`);
        return;
      default:
        throw new AppError('invalid_params', `unknown users command "${action}"`);
    }
  });
}

async function keysCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { help: { type: 'boolean', short: 'h' }, 'database-url': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(`${KEYS_USAGE}\n`);
    if (!values.help) process.exitCode = 1;
    return;
  }
  await withStorage(values['database-url'], async (storage) => {
    switch (action) {
      case 'list':
        for (const key of await listSigningKeyIds(storage.auth)) process.stdout.write(`${key}\n`);
        return;
      case 'rotate': {
        const key = await rotateSigningKey(storage.auth);
        process.stdout.write(`New signing key ${key.kid}. Restart the server(s) to start using it.\n`);
        return;
      }
      default:
        throw new AppError('invalid_params', `unknown keys command "${action}"`);
    }
  });
}

/** One event as one line: `<time> #<id> <action> <outcome> actor=… client=…` and what else it names. */
function auditLine(event: AuditEvent): string {
  const fields = [
    event.time,
    `#${event.id}`,
    event.action,
    event.outcome,
    `actor=${event.actor}`,
    `client=${event.clientId || '-'}`,
    event.todoId !== undefined && `todo=${event.todoId}`,
    event.ownerId !== undefined && `owner=${event.ownerId}`,
    event.isAdminAction && 'admin-action',
    event.tool !== undefined && `tool=${event.tool}`,
    event.scope !== undefined && `scope=${event.scope}`,
  ];
  // Subjects and client ids come from tokens: keep any control character from shaping the terminal.
  return fields
    .filter((field) => typeof field === 'string')
    .join(' ')
    .replace(/\p{Cc}/gu, '?');
}

async function auditCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      limit: { type: 'string' },
      actor: { type: 'string' },
      'database-url': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [action] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(`${AUDIT_USAGE}\n`);
    if (!values.help) process.exitCode = 1;
    return;
  }
  if (action !== 'tail') throw new AppError('invalid_params', `unknown audit command "${action}"`);
  const limit = Number(values.limit ?? '20');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
    throw new AppError('invalid_params', `--limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
  }
  const events = await withStorage(values['database-url'], (storage) =>
    storage.audit.list({ limit, ...(values.actor !== undefined && { actor: values.actor }) }),
  );
  for (const event of events.reverse()) process.stdout.write(`${auditLine(event)}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      return serve(args);
    case 'migrate':
      return migrateCommand(args);
    case 'users':
      return usersCommand(args);
    case 'keys':
      return keysCommand(args);
    case 'audit':
      return auditCommand(args);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      if (command === undefined) process.exitCode = 1;
      return;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      process.exitCode = 1;
  }
}

function fail(error: unknown): void {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof AppError && error.isSafe) {
    process.stderr.write(`Error: ${error.message}\n`);
    process.exit(1);
  }
  const level: LogLevel = LOG_LEVELS.includes(process.env.LOG_LEVEL as LogLevel)
    ? (process.env.LOG_LEVEL as LogLevel)
    : 'info';
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${message}\n`);
    process.exit(2);
  }
  createLogger(process.stderr, level).error('fatal', { err: error });
  process.exit(1);
}

main(process.argv.slice(2)).catch(fail);
