import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthParts, createAuthParts } from './app/auth-parts.js';
import { listenForMetrics } from './app/metrics-listener.js';
import { resourceMetadataUrl } from './auth/resource-metadata.js';
import type { NewAccount } from './authorization-server/users.js';
import type { Config } from './config/load-config.js';
import { createRateLimiter } from './http/create-rate-limiter.js';
import { createRequestListener } from './http/create-request-listener.js';
import type { Metrics } from './http/metrics.js';
import { createMetrics } from './http/metrics.js';
import { createOriginPolicy } from './http/origin-guard.js';
import type { RateLimiter } from './http/rate-limiter.js';
import { createToolCallLimit } from './http/tool-call-limit.js';
import type { Logger } from './log.js';
import {
  type AuthExtensions,
  CLIENT_CREDENTIALS_EXTENSION,
  ENTERPRISE_AUTH_EXTENSION,
} from './mcp/create-mcp-server.js';
import { createMcpEndpoint, type McpEndpoint } from './mcp/endpoint/mcp-endpoint.js';
import type { ToolDeps } from './mcp/tool-definition.js';
import { openStorage, type Storage } from './storage/open-storage.js';
import { createAuditTrail } from './todos/audit-trail.js';
import { newTodoId } from './todos/todo.js';
import { createTodoService } from './todos/todo-service.js';
import { closeServer, listen } from './web/listen.js';
import { sendJson } from './web/send-json.js';

export interface App {
  readonly server: Server;
  /** The configuration served: with PORT=0, the port the system chose, and a public URL to match. */
  readonly config: Config;
  readonly address: AddressInfo;
  /** Where the metrics listener is bound, when `METRICS_PORT` is set. */
  readonly metricsAddress: AddressInfo | undefined;
  /**
   * On a fresh database, the embedded authorization server's first accounts (`admin` and `user`,
   * created together or not at all), with their generated passwords; otherwise none.
   */
  createFirstAccounts(): Promise<readonly NewAccount[]>;
  /**
   * With an external issuer: throws, with the cause (DNS, TLS, HTTP status, issuer mismatch),
   * unless its tokens can be verified now.
   */
  checkIssuer(): Promise<void>;
  /** Stops accepting, lets in-flight requests finish, then releases the database. */
  close(): Promise<void>;
}

const SERVER_OPTIONS = { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 };

/** Answers while the parts are still being built: the port is bound before the rest starts. */
const starting: RequestListener = (_req, res) =>
  sendJson(
    res,
    503,
    { error: 'temporarily_unavailable', error_description: 'starting' },
    { 'retry-after': 1 },
  );

/**
 * The composition root: binds the port first (so that a port in use fails the start before
 * anything is created), then builds every part from the configuration and wires them together.
 */
export async function startApp(requested: Config, log: Logger): Promise<App> {
  const server = createServer(SERVER_OPTIONS, starting);
  const address = await listen(server, requested.port, requested.host);
  let storage: Storage | undefined;
  try {
    const config = requested.atPort(address.port);
    storage = await openStorage(config.databaseUrl, { checkpointInBackground: true });
    const metrics = createMetrics(() => storage?.poolStats());
    const auth = await createAuthParts(config, storage, log);
    const rateLimiter = await createRateLimiter({
      perMinute: config.rateLimitPerMinute,
      redisUrl: config.redisUrl,
      log,
    });
    const mcp = createMcpParts(config, storage, {
      metrics,
      rateLimiter,
      log,
      accountGrants: auth.authorizationServer?.accountGrants,
    });
    const listener = createListener(config, storage, { auth, mcp, metrics, log });
    const metricsListener = await listenForMetrics(config, metrics, log);
    server.off('request', starting).on('request', listener);
    const opened = storage;
    return {
      server,
      config,
      address,
      metricsAddress: metricsListener?.address,
      createFirstAccounts: async () => (await auth.authorizationServer?.users.bootstrap()) ?? [],
      // The embedded issuer is this server, reached through a public URL that a proxy may not route yet.
      checkIssuer: async () => {
        if (config.auth.mode === 'external') await auth.verifier.ready();
      },
      async close() {
        await closeServer(server);
        await metricsListener?.close();
        await auth.close();
        await rateLimiter?.close();
        await mcp.close();
        await opened.close();
      },
    };
  } catch (error) {
    await closeServer(server);
    await storage?.close();
    throw error;
  }
}

/** The public listener's routes over the parts. */
function createListener(
  config: Config,
  storage: Storage,
  parts: { auth: AuthParts; mcp: McpEndpoint; metrics: Metrics; log: Logger },
): RequestListener {
  const { auth, mcp, metrics, log } = parts;
  return createRequestListener({
    resource: config.resource,
    issuer: config.auth.issuer,
    origins: createOriginPolicy(config.publicUrl, config.host, config.allowedOrigins),
    verifier: auth.verifier,
    proofs: auth.proofs,
    dpop: config.auth.dpop,
    ...(auth.revocations && { isRevoked: auth.revocations.isRevoked }),
    ...(auth.onAdmitted && { onAdmitted: auth.onAdmitted }),
    mcp,
    pingDatabase: () => storage.ping(),
    metrics,
    metricsToken: config.metrics.token,
    log,
    ...(auth.authorizationServer && { authorizationServer: auth.authorizationServer }),
  });
}

/** The todo service, the audit trail and the MCP endpoint that serves them. */
function createMcpParts(
  config: Config,
  storage: Storage,
  edge: {
    metrics: Metrics;
    rateLimiter: RateLimiter | undefined;
    log: Logger;
    accountGrants: ToolDeps['accountGrants'];
  },
): McpEndpoint {
  const clock = () => new Date();
  const { metrics, rateLimiter, log, accountGrants } = edge;
  return createMcpEndpoint({
    tools: {
      todos: createTodoService({ store: storage.todos, clock, newId: newTodoId, audit: storage.audit }),
      audit: createAuditTrail({ log: storage.audit, clock }),
      observe: metrics.countToolCall,
      log,
      ...(accountGrants && { accountGrants }),
    },
    resource: config.resource,
    resourceMetadataUrl: resourceMetadataUrl(config.resource),
    extensions: authExtensions(config),
    ...(rateLimiter && { limitToolCalls: createToolCallLimit(rateLimiter, metrics) }),
  });
}

/** The authorization extensions the embedded authorization server supports; an external one's are its own. */
function authExtensions(config: Config): AuthExtensions {
  if (config.auth.mode !== 'embedded') return {};
  return {
    [CLIENT_CREDENTIALS_EXTENSION]: {},
    ...(config.enterpriseIdps.length > 0 && { [ENTERPRISE_AUTH_EXTENSION]: {} }),
  };
}
