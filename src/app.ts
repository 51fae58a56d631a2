import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenVerifier } from './auth/create-token-verifier.js';
import { createDiscovery } from './auth/discovery.js';
import { resourceMetadataUrl } from './auth/resource-metadata.js';
import type { AuthorizationServer } from './authorization-server/create-authorization-server.js';
import type { NewAccount } from './authorization-server/users.js';
import type { Config } from './config.js';
import { createRateLimiter } from './http/create-rate-limiter.js';
import { createRequestListener } from './http/create-request-listener.js';
import { createMetrics } from './http/metrics.js';
import { createOriginPolicy } from './http/origin-guard.js';
import { createToolCallLimit } from './http/tool-call-limit.js';
import type { Logger } from './log.js';
import { createMcpEndpoint } from './mcp/endpoint/mcp-endpoint.js';
import { openStorage } from './storage/open-storage.js';
import { createAuditTrail } from './todos/audit-trail.js';
import { newTodoId } from './todos/todo.js';
import { createTodoService } from './todos/todo-service.js';

export interface App {
  readonly server: Server;
  /** Accounts the embedded authorization server created on first start, with their one-time passwords. */
  readonly bootstrapped: readonly NewAccount[];
  /** Starts listening and resolves with the address actually bound. */
  listen(): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish, then releases the database. */
  close(): Promise<void>;
}

/** The composition root: builds every part from the configuration and wires them together. */
export async function createApp(config: Config, log: Logger): Promise<App> {
  const storage = await openStorage(config.databaseUrl);
  const clock = () => new Date();
  const todos = createTodoService({ store: storage.todos, clock, newId: newTodoId, audit: storage.audit });
  const audit = createAuditTrail({ log: storage.audit, clock });
  // Loaded only when embedded: a resource server for another issuer never needs oidc-provider.
  const authorizationServer: AuthorizationServer | undefined =
    config.auth.mode === 'embedded'
      ? await import('./authorization-server/create-authorization-server.js').then((m) =>
          m.createAuthorizationServer({
            issuer: config.auth.issuer,
            resource: config.resource,
            store: storage.auth,
            log: log.child({ component: 'authorization-server' }),
            tokenFormat: config.auth.validation === 'introspection' ? 'opaque' : 'jwt',
          }),
        )
      : undefined;
  const discovery = createDiscovery({ issuer: config.auth.issuer });
  const verifier = createTokenVerifier({
    ...config.auth,
    discovery,
    client: authorizationServer?.introspectionClient ?? config.auth.client,
  });
  const metrics = createMetrics(() => storage.poolStats());
  const rateLimiter = await createRateLimiter({
    perMinute: config.rateLimitPerMinute,
    redisUrl: config.redisUrl,
    log,
  });
  const mcp = createMcpEndpoint({
    tools: { todos, log, observe: metrics.countToolCall, audit },
    resource: config.resource,
    resourceMetadataUrl: resourceMetadataUrl(config.resource),
    ...(rateLimiter && { limitToolCalls: createToolCallLimit(rateLimiter, metrics) }),
  });
  const server = createServer(
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    createRequestListener({
      resource: config.resource,
      issuer: config.auth.issuer,
      origins: createOriginPolicy(config.publicUrl, config.host, config.allowedOrigins),
      verifier,
      mcp,
      pingDatabase: () => storage.ping(),
      metrics,
      log,
      ...(authorizationServer && { authorizationServer }),
    }),
  );

  return {
    server,
    bootstrapped: authorizationServer?.bootstrapped ?? [],
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      authorizationServer?.close();
      await rateLimiter?.close();
      await mcp.close();
      await storage.close();
    },
  };
}
