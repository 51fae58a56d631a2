export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

/** Structured logging: one JSON object per line. Callers never pass tokens or secrets. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Where log lines go: a stream such as stdout, or anything else that takes text. */
export interface LogOutput {
  write(line: string): unknown;
}

export function createLogger(
  out: LogOutput,
  level: LogLevel,
  base: LogFields = {},
  now: () => Date = () => new Date(),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const write =
    (at: LogLevel) =>
    (message: string, fields: LogFields = {}) => {
      if (LOG_LEVELS.indexOf(at) < threshold) return;
      out.write(
        `${JSON.stringify({ time: now().toISOString(), level: at, msg: message, ...base, ...fields }, errorReplacer)}\n`,
      );
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger(out, level, { ...base, ...fields }, now),
  };
}

/** Errors serialize as name, message, code and cause; never their own enumerable extras. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const { code } = value as { code?: unknown };
  return {
    name: value.name,
    message: value.message,
    ...(code !== undefined && { code }),
    cause: value.cause,
  };
}

/** A logger that drops everything, for tests and tools that want silence. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
