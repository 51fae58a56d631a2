import type { LogLevel } from '../log.js';
import { isLoopbackHost } from '../web/loopback.js';
import { type ConfigInput, configSchema } from './schema.js';

export type { ConfigInput } from './schema.js';
export { configSchema, isDatabaseUrl } from './schema.js';

export type DpopMode = 'allowed' | 'required' | 'off';

/** A trusted enterprise identity provider (see `ENTERPRISE_IDPS`). */
export interface EnterpriseIdp {
  readonly issuer: string;
  /** The ID-JAG claim that names the person: matched, lower-cased, to a username. */
  readonly claim: string;
  /** `create`: a person without an account gets one with role user; `existing`: refused. */
  readonly accounts: 'create' | 'existing';
}

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
    /**
     * Sender-constrained tokens (RFC 9449): `allowed` accepts Bearer and DPoP-bound tokens,
     * `required` only DPoP-bound ones, `off` refuses DPoP-bound tokens.
     */
    readonly dpop: DpopMode;
    /**
     * JWT only: the oldest a token may be (seconds since its `iat`), whatever its `exp` says, so
     * that a token of a revoked grant at an external issuer stops working this soon.
     */
    readonly maxTokenAgeS?: number;
    /** Credentials for an external issuer's introspection endpoint. */
    readonly client?: { readonly id: string; readonly secret: string };
  };
  /**
   * Enterprise identity providers whose ID-JAGs the embedded authorization server exchanges for
   * tokens (SEP-990, the JWT bearer grant); none by default.
   */
  readonly enterpriseIdps: readonly EnterpriseIdp[];
  /** Tool calls per minute per subject and per client; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Shared rate-limit counters for all instances, when set. */
  readonly redisUrl: string | undefined;
  /** Browser origins allowed to call `/mcp`; `undefined` means any loopback origin. */
  readonly allowedOrigins: readonly string[] | undefined;
  readonly logLevel: LogLevel;
  /**
   * Where Prometheus metrics are served: on a listener of their own (`port`, on `host`) when a
   * port is set; on the public listener only when a `token` guards them (Bearer); else nowhere.
   */
  readonly metrics: {
    readonly port: number | undefined;
    readonly host: string;
    readonly token: string | undefined;
  };
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
  const problems = [...schemaProblems(parsed), ...combinationProblems(known)];
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
      dpop: env.AUTH_DPOP,
      ...(env.AUTH_MAX_TOKEN_AGE !== undefined && { maxTokenAgeS: env.AUTH_MAX_TOKEN_AGE }),
      ...(env.AUTH_CLIENT_ID !== undefined &&
        env.AUTH_CLIENT_SECRET !== undefined && {
          client: Object.freeze({ id: env.AUTH_CLIENT_ID, secret: env.AUTH_CLIENT_SECRET }),
        }),
    }),
    allowedOrigins:
      env.ALLOWED_ORIGINS && Object.freeze(env.ALLOWED_ORIGINS.map((o) => o.replace(/\/$/, ''))),
    enterpriseIdps: Object.freeze((env.ENTERPRISE_IDPS ?? []).map((idp) => Object.freeze({ ...idp }))),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    metrics: Object.freeze({ port: env.METRICS_PORT, host: env.METRICS_HOST, token: env.METRICS_TOKEN }),
    atPort,
  });
  return config;
}

function schemaProblems(parsed: ReturnType<typeof configSchema.safeParse>): string[] {
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    return issue.message.includes(key) ? issue.message : `${key}: ${issue.message}`;
  });
}

/** Settings that are each fine but do not fit together. */
function combinationProblems(known: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const needsClient = known.AUTH_TOKEN_VALIDATION === 'introspection' && known.AUTH_ISSUER !== undefined;
  if (needsClient && (known.AUTH_CLIENT_ID === undefined || known.AUTH_CLIENT_SECRET === undefined)) {
    problems.push(
      'AUTH_CLIENT_ID and AUTH_CLIENT_SECRET: introspection with an external issuer needs the credentials of a client allowed to introspect',
    );
  }
  if (known.ENTERPRISE_IDPS !== undefined && known.AUTH_ISSUER !== undefined) {
    problems.push('ENTERPRISE_IDPS needs the embedded authorization server: leave AUTH_ISSUER unset');
  }
  if (known.AUTH_MAX_TOKEN_AGE !== undefined && known.AUTH_TOKEN_VALIDATION === 'introspection') {
    problems.push(
      'AUTH_MAX_TOKEN_AGE applies to AUTH_TOKEN_VALIDATION=jwt only: introspection already refuses revoked tokens',
    );
  }
  if (
    known.METRICS_PORT !== undefined &&
    known.METRICS_PORT !== '0' &&
    known.METRICS_PORT === (known.PORT ?? '3001')
  ) {
    problems.push('METRICS_PORT must differ from PORT: metrics get a listener of their own');
  }
  // Reached from elsewhere, the server must know the URL its clients use: it names the resource.
  if (known.HOST !== undefined && !isLoopbackHost(known.HOST) && known.PUBLIC_URL === undefined) {
    problems.push(
      `PUBLIC_URL is required when HOST (${known.HOST}) is not a loopback address: the URL clients reach the server at, such as https://todos.example.com`,
    );
  }
  return problems;
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
