import * as z from 'zod';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { isLoopbackHost } from './web/loopback.js';

const secureUrl = (name: string) =>
  z.url({ error: `${name} must be an absolute URL`, abort: true }).refine(
    (value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    },
    { error: `${name} must use https: (plain http: only on localhost, 127.0.0.1 or ::1)` },
  );

const origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '')
      );
    } catch {
      return false;
    }
  },
  { error: 'each ALLOWED_ORIGINS entry must be an origin such as https://app.example.com' },
);

/**
 * Every setting, as environment variables (or the matching `--kebab-case` flags of `serve`).
 * The README's configuration table lists exactly these keys.
 */
export const configSchema = z.object({
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int()
    .min(0)
    .max(65535, { error: 'PORT must be from 0 to 65535' })
    .default(3001),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: secureUrl('PUBLIC_URL')
    .refine((value) => ['', '/'].includes(new URL(value).pathname) && !new URL(value).search, {
      error: 'PUBLIC_URL must be an origin without a path, such as https://todos.example.com',
    })
    .optional(),
  DATABASE_URL: z
    .string()
    .min(1)
    .refine(isDatabaseUrl, {
      error:
        'DATABASE_URL must be a SQLite path, a file: or sqlite: URL, or a postgres:// or postgresql:// URL',
    })
    .default('./data/todo-manager.db'),
  AUTH_ISSUER: secureUrl('AUTH_ISSUER').optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_TOKEN_VALIDATION: z
    .enum(['jwt', 'introspection'], { error: 'AUTH_TOKEN_VALIDATION must be jwt or introspection' })
    .default('jwt'),
  AUTH_STRICT_TOKEN_TYPE: z
    .enum(['true', 'false'], { error: 'AUTH_STRICT_TOKEN_TYPE must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  AUTH_CLIENT_ID: z.string().min(1).optional(),
  AUTH_CLIENT_SECRET: z.string().min(1).optional(),
  ALLOWED_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin))
    .optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'RATE_LIMIT_PER_MINUTE must be a number' })
    .int({ error: 'RATE_LIMIT_PER_MINUTE must be a whole number' })
    .min(0, { error: 'RATE_LIMIT_PER_MINUTE must be 0 (off) or more' })
    .default(1200),
  REDIS_URL: z
    .url({ error: 'REDIS_URL must be a redis:// or rediss:// URL', abort: true })
    .refine((value) => /^rediss?:\/\//.test(value), {
      error: 'REDIS_URL must be a redis:// or rediss:// URL',
    })
    .optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
});

/**
 * Whether a `DATABASE_URL` names a database we can open: a PostgreSQL URL, a `file:` or `sqlite:`
 * URL, or a plain path. Anything else with a scheme (`postgress://`, `mysql://`) is a mistake
 * that must not silently become a file of that name.
 */
export function isDatabaseUrl(value: string): boolean {
  if (/^postgres(ql)?:/i.test(value)) return /^postgres(ql)?:\/\//i.test(value) && URL.canParse(value);
  if (/^(file|sqlite):/i.test(value)) return URL.canParse(value.replace(/^sqlite:/i, 'file:'));
  // A drive letter (C:\data\todos.db) is a path, not a scheme.
  return !/^[a-z][a-z0-9+.-]+:/i.test(value) || /^[a-z]:[\\/]/i.test(value);
}

export type ConfigInput = Partial<Record<keyof z.input<typeof configSchema>, string | undefined>>;

export interface Config {
  readonly port: number;
  readonly host: string;
  /** The external base URL, without a trailing slash. */
  readonly publicUrl: string;
  /** The canonical MCP resource: `$PUBLIC_URL/mcp`. */
  readonly resource: string;
  readonly databaseUrl: string;
  readonly auth: {
    /** `embedded`: this process runs the authorization server, its issuer being `publicUrl`. */
    readonly mode: 'embedded' | 'external';
    readonly issuer: string;
    readonly audience: string;
    /** `jwt`: verify signatures against the JWKS; `introspection`: ask the issuer (RFC 7662). */
    readonly validation: 'jwt' | 'introspection';
    /** Accept only `typ: at+jwt` (RFC 9068), not also `JWT` or no `typ`. */
    readonly strictTokenType: boolean;
    /** Credentials for an external issuer's introspection endpoint. */
    readonly client?: { readonly id: string; readonly secret: string };
  };
  /** Tool calls per minute per subject and per client; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Shared rate-limit counters for all instances, when set. */
  readonly redisUrl: string | undefined;
  /** Browser origins allowed to call `/mcp`; `undefined` means any loopback origin. */
  readonly allowedOrigins: readonly string[] | undefined;
  readonly logLevel: LogLevel;
  /**
   * The same settings once the server is bound to `port`: with PORT=0 and no PUBLIC_URL, the public
   * URL (and so the resource and the embedded issuer) follows the port the system chose.
   */
  atPort(port: number): Config;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses settings once, reporting every problem together; returns a frozen object. */
export function loadConfig(input: ConfigInput): Config {
  const known = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, emptyToUndefined(input[key as keyof ConfigInput])]),
  );
  const parsed = configSchema.safeParse(known);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return issue.message.includes(key) ? issue.message : `${key}: ${issue.message}`;
      });
  const needsClient = known.AUTH_TOKEN_VALIDATION === 'introspection' && known.AUTH_ISSUER !== undefined;
  if (needsClient && (known.AUTH_CLIENT_ID === undefined || known.AUTH_CLIENT_SECRET === undefined)) {
    problems.push(
      'AUTH_CLIENT_ID and AUTH_CLIENT_SECRET: introspection with an external issuer needs the credentials of a client allowed to introspect',
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  const followsPort = env.PORT === 0 && env.PUBLIC_URL === undefined;
  const atPort = (port: number): Config =>
    followsPort ? loadConfig({ ...input, PORT: String(port) }) : config;
  // The origin form lower-cases the host, so the resource matches what clients and tokens carry.
  const publicUrl = new URL(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).origin;
  const resource = `${publicUrl}/mcp`;
  const config: Config = Object.freeze({
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    resource,
    databaseUrl: env.DATABASE_URL,
    auth: Object.freeze({
      mode: env.AUTH_ISSUER === undefined ? 'embedded' : 'external',
      issuer: env.AUTH_ISSUER ?? publicUrl,
      audience: env.AUTH_AUDIENCE ?? resource,
      validation: env.AUTH_TOKEN_VALIDATION,
      strictTokenType: env.AUTH_STRICT_TOKEN_TYPE,
      ...(env.AUTH_CLIENT_ID !== undefined &&
        env.AUTH_CLIENT_SECRET !== undefined && {
          client: Object.freeze({ id: env.AUTH_CLIENT_ID, secret: env.AUTH_CLIENT_SECRET }),
        }),
    }),
    allowedOrigins:
      env.ALLOWED_ORIGINS && Object.freeze(env.ALLOWED_ORIGINS.map((o) => o.replace(/\/$/, ''))),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    atPort,
  });
  return config;
}

/** Parses `DATABASE_URL` alone, for commands that need only the database. */
export function parseDatabaseUrl(value: string | undefined): string {
  const parsed = configSchema.shape.DATABASE_URL.safeParse(emptyToUndefined(value));
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Environment variables that look like misspellings of a setting (`DATABSE_URL`, `AUTH_ISUER`,
 * `log_level`), each with the setting it most likely meant: within two edits, letters swapped
 * counting as one, for names long enough that such a near miss is no coincidence.
 */
export function misspelledSettings(
  env: Readonly<Record<string, string | undefined>>,
): { readonly name: string; readonly meant: string }[] {
  const known = Object.keys(configSchema.shape);
  return Object.keys(env)
    .filter((name) => !known.includes(name))
    .flatMap((name) => {
      const meant = known.find((key) => {
        const distance = editDistance(name.toUpperCase(), key);
        return distance === 0 || (distance === 1 && key.length >= 4) || (distance === 2 && key.length >= 8);
      });
      return meant === undefined ? [] : [{ name, meant }];
    });
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}
