#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { ConfigError, type ConfigInput, configSchema, loadConfig } from './config.js';
import { createLogger, LOG_LEVELS, type LogLevel } from './log.js';
import { openTodoStore } from './storage/open-todo-store.js';

const SETTINGS = Object.keys(configSchema.shape) as (keyof ConfigInput)[];
const flagName = (key: string) => key.toLowerCase().replaceAll('_', '-');

const USAGE = `Usage: todo-manager <command> [options]

Commands:
  serve      Start the MCP server (what "npm start" runs)
  migrate    Apply database migrations and exit

Run "todo-manager <command> --help" for a command's options.`;

const SERVE_USAGE = `Usage: todo-manager serve [options]

Starts the MCP server. Every option can also be given as the environment variable in brackets;
an option wins over the variable.

Options:
${SETTINGS.map((key) => `  --${flagName(key)} <value>`.padEnd(34) + `[${key}]`).join('\n')}
  -h, --help                      Show this help`;

const MIGRATE_USAGE = `Usage: todo-manager migrate [--database-url <url>]

Applies pending database migrations to DATABASE_URL and exits. The server also migrates at start.`;

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
  const app = await createApp(config, log);
  const address = await app.listen();
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
  const databaseUrl = configSchema.shape.DATABASE_URL.parse(settings.DATABASE_URL || undefined);
  const { store, applied } = await openTodoStore(databaseUrl);
  await store.close();
  process.stdout.write(
    applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'The database is up to date.\n',
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      return serve(args);
    case 'migrate':
      return migrateCommand(args);
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
