import * as z from 'zod';
import { LOG_LEVELS } from '../log.js';
import { isLoopbackHost } from '../web/loopback.js';

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

const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

/**
 * One trusted enterprise identity provider (SEP-990): its issuer; the ID-JAG claim naming the
 * person (`sub` by default, or `email`, `preferred_username` …), matched to a username; and
 * whether a person without an account gets one (`create`, role user) or is refused (`existing`).
 */
const enterpriseIdp = z
  .object({
    issuer: secureUrl('each ENTERPRISE_IDPS issuer'),
    claim: z
      .string()
      .regex(CLAIM_NAME, { error: 'each ENTERPRISE_IDPS claim must be a claim name such as sub or email' })
      .default('sub'),
    accounts: z
      .enum(['create', 'existing'], { error: 'each ENTERPRISE_IDPS accounts must be create or existing' })
      .default('create'),
  })
  .strict();

const jsonText = (name: string) =>
  z.string().transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must be JSON` });
      return z.NEVER;
    }
  });

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
  AUTH_DPOP: z
    .enum(['allowed', 'required', 'off'], { error: 'AUTH_DPOP must be allowed, required or off' })
    .default('allowed'),
  AUTH_MAX_TOKEN_AGE: z.coerce
    .number({ error: 'AUTH_MAX_TOKEN_AGE must be a number of seconds' })
    .int({ error: 'AUTH_MAX_TOKEN_AGE must be a whole number of seconds' })
    .min(1, { error: 'AUTH_MAX_TOKEN_AGE must be at least 1 second' })
    .optional(),
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
  METRICS_PORT: z.coerce
    .number({ error: 'METRICS_PORT must be a number' })
    .int()
    .min(0)
    .max(65535, { error: 'METRICS_PORT must be from 0 to 65535' })
    .optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_TOKEN: z
    .string()
    .min(32, { error: 'METRICS_TOKEN must be at least 32 characters (a random secret)' })
    .refine((value) => /^[\x21-\x7E]+$/.test(value), {
      error: 'METRICS_TOKEN must be printable ASCII without spaces',
    })
    .optional(),
  ENTERPRISE_IDPS: jsonText('ENTERPRISE_IDPS')
    .pipe(
      z.array(enterpriseIdp, {
        error:
          'ENTERPRISE_IDPS must be a JSON array such as [{"issuer":"https://acme.okta.com","claim":"email"}]',
      }),
    )
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
