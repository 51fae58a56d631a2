import { createTokenVerifier } from '../auth/create-token-verifier.js';
import { createDiscovery } from '../auth/discovery.js';
import { createDpopProofVerifier, DPOP_ALGORITHMS, type DpopProofVerifier } from '../auth/dpop-proof.js';
import { createStoredKeySet } from '../auth/jwks.js';
import type { Principal, TokenVerifier } from '../auth/principal.js';
import { createRevocationList, type RevocationList } from '../auth/revocation-list.js';
import type { AuthorizationServer } from '../authorization-server/create-authorization-server.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/open-storage.js';
import type { ReplayStore } from '../storage/replay-store.js';

export interface AuthParts {
  /** The embedded authorization server, when this process runs it. */
  readonly authorizationServer: AuthorizationServer | undefined;
  readonly verifier: TokenVerifier;
  readonly proofs: DpopProofVerifier;
  /** Revoked grants of the embedded authorization server, whose tokens are refused. */
  readonly revocations: RevocationList | undefined;
  /** Told of every request `/mcp` admits: notes when the token's grant was used. */
  readonly onAdmitted: ((principal: Principal) => void) | undefined;
  close(): Promise<void>;
}

/**
 * The authorization server, when embedded; the verifier for the tokens of whichever one issues
 * them; the DPoP proof checks, remembering proofs where every instance sees them (Redis when the
 * deployment shares one, else the database); and the list of revoked grants.
 */
export async function createAuthParts(config: Config, storage: Storage, log: Logger): Promise<AuthParts> {
  const revocations = config.auth.mode === 'embedded' ? await revocationList(storage, log) : undefined;
  const replay = await replayStore(config, storage);
  // Loaded only when embedded: a resource server for another issuer never needs oidc-provider.
  const authorizationServer =
    config.auth.mode === 'embedded'
      ? await import('../authorization-server/create-authorization-server.js').then((m) =>
          m.createAuthorizationServer({
            issuer: config.auth.issuer,
            resource: config.resource,
            store: storage.auth,
            auditLog: storage.audit,
            log: log.child({ component: 'authorization-server' }),
            tokenFormat: config.auth.validation === 'introspection' ? 'opaque' : 'jwt',
            revocations: {
              ...storage.revocations,
              async revoke(grantId, until) {
                await storage.revocations.revoke(grantId, until);
                revocations?.add(grantId, until);
              },
            },
            onRevoked: (grantIds, until) => {
              for (const grantId of grantIds) revocations?.add(grantId, until);
            },
            ...(config.auth.dpop !== 'off' && { dpopAlgorithms: DPOP_ALGORITHMS }),
            enterpriseIdps: config.enterpriseIdps,
            replay,
          }),
        )
      : undefined;
  const verifier = createTokenVerifier({
    ...config.auth,
    discovery: createDiscovery({ issuer: config.auth.issuer }),
    // The embedded server's keys are read where it keeps them, not fetched back through PUBLIC_URL,
    // which a container's port mapping or a proxy may not route from inside.
    keys: authorizationServer && createStoredKeySet(() => authorizationServer.publicKeys()),
    client: authorizationServer?.introspectionClient ?? config.auth.client,
  });
  return {
    authorizationServer,
    verifier,
    proofs: createDpopProofVerifier({ replay, htu: config.resource }),
    revocations,
    onAdmitted:
      authorizationServer &&
      ((principal) => {
        if (principal.grantId !== undefined) authorizationServer.recordGrantUse(principal.grantId);
      }),
    async close() {
      authorizationServer?.close();
      revocations?.close();
      await replay.close?.();
    },
  };
}

async function revocationList(storage: Storage, log: Logger): Promise<RevocationList> {
  let isWarned = false;
  const list = createRevocationList({
    source: storage.revocations,
    onError: (err) => {
      if (!isWarned) log.warn('revoked grants cannot be read; the last list read stays in force', { err });
      isWarned = true;
    },
  });
  await list.refresh();
  return list;
}

async function replayStore(
  config: Config,
  storage: Storage,
): Promise<ReplayStore & { close?(): Promise<void> }> {
  if (config.redisUrl === undefined) return storage.replay;
  // The Redis client is loaded only when a deployment shares one.
  const { createRedisReplayStore } = await import('../storage/redis-replay-store.js');
  return createRedisReplayStore(config.redisUrl);
}
