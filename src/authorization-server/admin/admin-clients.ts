import { AppError } from '../../errors.js';
import type { OidcModelStore, UserRecord } from '../../storage/auth-store.js';
import type { AccountAdmin, ClientOrigin } from '../account-admin.js';
import { clientOriginOf } from '../connected-apps.js';
import type { ConsoleAudit } from '../console-audit.js';

/** A client as the clients page shows it. */
export interface ClientSummary {
  readonly clientId: string;
  readonly name: string;
  readonly origin: ClientOrigin;
  /** Grants the client holds, and how many accounts they are of. */
  readonly grants: number;
  readonly accounts: number;
}

/** The configured clients' names (the console, the resource server, service clients), by id. */
export type StaticClientName = (clientId: string) => Promise<string | undefined>;

export interface AdminClientsDeps {
  /** Registrations (RFC 7591) are listed and deleted here; grants only through `admin`. */
  readonly store: Pick<OidcModelStore, 'findModel' | 'listModels' | 'destroyModel'>;
  readonly admin: Pick<AccountAdmin, 'listAllGrants' | 'revokeClientGrants'>;
  readonly staticName: StaticClientName;
  readonly audit: ConsoleAudit;
}

/** The admin console's client operations, each change audited. */
export interface AdminClients {
  /** Registered clients and every client holding a grant, by name. */
  list(): Promise<ClientSummary[]>;
  /** Revokes every grant the client holds; returns how many. */
  revokeGrants(admin: UserRecord, clientId: string): Promise<number>;
  /** Revokes its grants and deletes its registration; a configured client cannot be deleted. */
  remove(admin: UserRecord, clientId: string): Promise<ClientSummary>;
}

export function createAdminClients(deps: AdminClientsDeps): AdminClients {
  const { store, admin: accounts, staticName, audit } = deps;
  /**
   * A client from what the database holds: never by fetching a metadata document, so that
   * listing clients cannot reach out of the server.
   */
  const summary = async (clientId: string, held: readonly { accountId: string; clientId: string }[]) => {
    const registered = await store.findModel('Client', clientId);
    const origin = clientOriginOf(clientId, registered !== undefined);
    const own = held.filter((grant) => grant.clientId === clientId);
    const registeredName = typeof registered?.client_name === 'string' ? registered.client_name : undefined;
    const name =
      origin === 'metadata-document'
        ? new URL(clientId).host
        : (registeredName ?? (await staticName(clientId)));
    const accounts = new Set(own.map((grant) => grant.accountId)).size;
    return { clientId, name: name ?? clientId, origin, grants: own.length, accounts };
  };
  return {
    async list() {
      const held = await accounts.listAllGrants();
      const ids = new Set([
        ...(await store.listModels('Client')).map((client) => client.id),
        ...held.map((grant) => grant.clientId),
      ]);
      const summaries = await Promise.all([...ids].map((clientId) => summary(clientId, held)));
      return summaries.sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId));
    },
    async revokeGrants(admin, clientId) {
      const count = await accounts.revokeClientGrants(clientId);
      await audit({ actor: admin.id, operation: 'revoke-client-grants', detail: clientId });
      return count;
    },
    async remove(admin, clientId) {
      const client = await summary(clientId, []);
      if (client.origin === 'pre-registered') {
        throw new AppError('invalid_params', 'A client in the server configuration cannot be deleted here.');
      }
      await accounts.revokeClientGrants(clientId);
      if (client.origin === 'dcr') await store.destroyModel('Client', clientId);
      await audit({ actor: admin.id, operation: 'delete-client', detail: clientId });
      return client;
    },
  };
}
