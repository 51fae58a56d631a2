import { AppError } from '../../errors.js';
import type { OidcModelStore, UserRecord } from '../../storage/auth-store.js';
import { type ClientDescription, describeClient, type StaticClientName } from '../client-origin.js';
import type { ConsoleAudit } from '../console-audit.js';
import { CONSOLE_CLIENT_ID } from '../console-client.js';
import type { GrantRevoker } from '../grant-revoker.js';

export interface ClientSummary extends ClientDescription {
  /** Grants the client holds, and how many accounts they are of. */
  readonly grants: number;
  readonly accounts: number;
}

export interface AdminClientsDeps {
  readonly store: Pick<OidcModelStore, 'findModel' | 'listModels' | 'destroyModel'>;
  readonly staticName: StaticClientName;
  readonly grants: GrantRevoker;
  readonly audit: ConsoleAudit;
}

/** The admin console's client operations, each change audited. */
export interface AdminClients {
  /** Registered clients and every client holding a grant, by name. */
  list(): Promise<ClientSummary[]>;
  /** Revokes every grant the client holds; returns how many. */
  revokeGrants(admin: UserRecord, clientId: string): Promise<number>;
  /** Revokes its grants and deletes its registration; a configured client cannot be deleted. */
  remove(admin: UserRecord, clientId: string): Promise<ClientDescription>;
}

export function createAdminClients(deps: AdminClientsDeps): AdminClients {
  const { store, staticName, grants, audit } = deps;
  const grantsOf = async (clientId: string) =>
    (await store.listModels('Grant')).filter((grant) => grant.payload.clientId === clientId);
  const revokeAll = async (clientId: string) => {
    const held = await grantsOf(clientId);
    for (const grant of held) await grants.revokeGrant(grant.id);
    return held.length;
  };
  return {
    async list() {
      const held = (await store.listModels('Grant')).filter((g) => g.payload.clientId !== CONSOLE_CLIENT_ID);
      const ids = new Set([
        ...(await store.listModels('Client')).map((client) => client.id),
        ...held.map((grant) => String(grant.payload.clientId)),
      ]);
      const summaries = await Promise.all(
        [...ids].map(async (clientId) => {
          const own = held.filter((grant) => grant.payload.clientId === clientId);
          const accounts = new Set(own.map((grant) => grant.payload.accountId)).size;
          return { ...(await describeClient(store, staticName, clientId)), grants: own.length, accounts };
        }),
      );
      return summaries.sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId));
    },
    async revokeGrants(admin, clientId) {
      const count = await revokeAll(clientId);
      await audit({ actor: admin.id, operation: 'revoke-client-grants', detail: clientId });
      return count;
    },
    async remove(admin, clientId) {
      const client = await describeClient(store, staticName, clientId);
      if (client.origin === 'pre-registered') {
        throw new AppError('invalid_params', 'A client in the server configuration cannot be deleted here.');
      }
      await revokeAll(clientId);
      if (client.origin === 'dynamic registration') await store.destroyModel('Client', clientId);
      await audit({ actor: admin.id, operation: 'delete-client', detail: clientId });
      return client;
    },
  };
}
