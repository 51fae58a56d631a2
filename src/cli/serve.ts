import type { App } from '../app.js';
import type { NewAccount } from '../authorization-server/users.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger, type Logger } from '../log.js';
import type { CliIo } from './io.js';
import { misspelledSettings } from './misspelled-settings.js';
import { flagName, readSettings, SETTINGS } from './settings.js';
import { printUsage } from './usage.js';

/** Where the variable names start in `serve --help`: after the longest flag, plus two spaces. */
const FLAG_COLUMN = Math.max(...SETTINGS.map((key) => `  --${flagName(key)} <value>`.length)) + 2;

export const SERVE_USAGE = `Usage: todo-manager serve [options]

Starts the MCP server. Every option can also be given as the environment variable in brackets;
an option wins over the variable.

Options:
${SETTINGS.map((key) => `${`  --${flagName(key)} <value>`.padEnd(FLAG_COLUMN)}[${key}]`).join('\n')}
${'  -h, --help'.padEnd(FLAG_COLUMN)}Show this help`;

/**
 * `serve`: starts the server and resolves with the exit status once a shutdown signal has
 * stopped it. While it serves, stdout carries JSON log lines only; the one-time passwords of a
 * first start go to stderr, for the person starting it.
 */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const settings = readSettings(args, SETTINGS, io.env);
  if (settings === 'help') return printUsage(io, SERVE_USAGE, true);
  const requested = loadConfig(settings);
  const log = createLogger(io.stdout, requested.logLevel);
  for (const { name, meant } of misspelledSettings(io.env)) {
    log.warn(`${name} is not a setting; did you mean ${meant}?`, { variable: name, setting: meant });
  }
  // Loaded here so that commands which never serve do not load the authorization server.
  const { startApp } = await import('../app.js');
  const app = await startApp(requested, log);
  const { config, address } = app;
  const accounts = await app.createFirstAccounts();
  if (accounts.length > 0) {
    io.stderr.write(firstStartNotice(accounts));
    log.info('first start: accounts created', { usernames: accounts.map((a) => a.user.username) });
  }
  const metrics = app.metricsAddress;
  log.info('listening', {
    mcp: config.resource,
    address: `${address.address}:${address.port}`,
    issuer: config.auth.issuer,
    ...(metrics && { metrics: `http://${metrics.address}:${metrics.port}/metrics` }),
  });
  // Not awaited: a slow issuer must not hold up the shutdown signals, which untilStopped listens for.
  void app.checkIssuer().catch((err: unknown) => {
    log.warn('the authorization server cannot be reached; tokens cannot be verified until it can', { err });
  });
  return untilStopped(app, log, io);
}

/** The accounts a first start created, with their passwords: the only time anyone sees them. */
function firstStartNotice(accounts: readonly NewAccount[]): string {
  const lines = accounts.map(
    ({ user, password }) => `  ${user.username.padEnd(8)} role ${user.role.padEnd(6)} password ${password}`,
  );
  return (
    `\nFirst start: the embedded authorization server created these accounts.\n${lines.join('\n')}\n` +
    'The passwords are shown only this once. Manage accounts with "npm run cli -- users --help".\n\n'
  );
}

/**
 * Closes the app at the first shutdown signal: 0 once it closed, 1 if closing failed. A second
 * signal gives up waiting: 1 at once.
 */
function untilStopped(app: App, log: Logger, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    let isStopping = false;
    io.onShutdownSignal((signal) => {
      if (isStopping) return resolve(1);
      isStopping = true;
      log.info('shutting down', { signal });
      app.close().then(
        () => resolve(0),
        (err: unknown) => {
          log.error('shutdown failed', { err });
          resolve(1);
        },
      );
    });
  });
}
