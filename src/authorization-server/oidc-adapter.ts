import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { AuthStore } from '../storage/auth-store.js';
import type { GrantRevocations } from '../storage/grant-revocations.js';
import { clientMetadata } from './clients/client-metadata.js';

export interface RevocationRecord {
  readonly revocations: GrantRevocations;
  /** How long a revoked grant is remembered: as long as an access token issued under it lives. */
  readonly seconds: number;
}

/**
 * oidc-provider's storage adapter over the `AuthStore` port: every client, grant, session,
 * interaction, code and refresh token lives in the database, so restarts and other instances
 * see the same state; admin-created clients are read from their own table. A revoked grant (a replayed code, a reused refresh token, RFC 7009
 * revocation, sign-out) is also recorded for the resource server, which refuses the grant's
 * access tokens that are still alive.
 */
export function createOidcAdapter(
  store: AuthStore,
  record: RevocationRecord,
): new (
  model: string,
) => Adapter {
  return class DatabaseAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const expiresAt = expiresIn ? Math.floor(Date.now() / 1000) + expiresIn : undefined;
      await store.upsertModel(this.model, id, {
        payload: payload as Record<string, unknown>,
        ...(expiresAt !== undefined && { expiresAt }),
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      // Admin-created clients live in a table of their own, which registration cannot write to.
      if (this.model === 'Client') {
        const managed = await store.findClient(id);
        if (managed) return clientMetadata(managed) as AdapterPayload;
      }
      return (await store.findModel(this.model, id)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return (await store.findModelByUid(this.model, uid)) as AdapterPayload | undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return (await store.findModelByUserCode(this.model, userCode)) as AdapterPayload | undefined;
    }

    async consume(id: string): Promise<void> {
      await store.consumeModel(this.model, id, Math.floor(Date.now() / 1000));
    }

    async destroy(id: string): Promise<void> {
      await store.destroyModel(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await record.revocations.revoke(grantId, Math.floor(Date.now() / 1000) + record.seconds);
      await store.revokeGrant(grantId);
    }
  };
}
