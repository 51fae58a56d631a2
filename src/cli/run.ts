import { ConfigError } from '../config/load-config.js';
import { AppError } from '../errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../log.js';
import { runAudit } from './audit.js';
import { runClients } from './clients.js';
import type { CliIo } from './io.js';
import { runKeys } from './keys.js';
import { runMigrate } from './migrate.js';
import { misspelledSettings } from './misspelled-settings.js';
import { runServe } from './serve.js';
import { printUsage, USAGE } from './usage.js';
import { runUsers } from './users.js';

/**
 * Runs one command line and resolves with its exit status: 0 on success; 1 for an unknown command
 * or a failure; 2 for bad configuration or an unknown option. It never rejects.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await runCommand(argv, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

function runCommand(argv: readonly string[], io: CliIo): Promise<number> | number {
  const [command, ...args] = argv;
  // The server logs these as JSON; the other commands tell the person at the terminal.
  if (command !== 'serve') {
    for (const { name, meant } of misspelledSettings(io.env)) {
      io.stderr.write(`Warning: ${name} is not a setting; did you mean ${meant}?\n`);
    }
  }
  switch (command) {
    case 'serve':
      return runServe(args, io);
    case 'migrate':
      return runMigrate(args, io);
    case 'users':
      return runUsers(args, io);
    case 'keys':
      return runKeys(args, io);
    case 'clients':
      return runClients(args, io);
    case 'audit':
      return runAudit(args, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return printUsage(io, USAGE, command !== undefined);
    default:
      io.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 1;
  }
}

/** The CLI's one error mapping: a clear message for what the user can fix, a JSON log for the rest. */
function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof ConfigError) {
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (error instanceof AppError && error.isSafe) {
    io.stderr.write(`Error: ${error.message}\n`);
    return 1;
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  const level = LOG_LEVELS.includes(io.env.LOG_LEVEL as LogLevel) ? (io.env.LOG_LEVEL as LogLevel) : 'info';
  createLogger(io.stderr, level).error('fatal', { err: error });
  return 1;
}
