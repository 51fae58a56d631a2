import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { AuthStore, ClientKind, ManagedClientRecord, Role } from '../../storage/auth-store.js';
import type { GrantRevocations } from '../../storage/grant-revocations.js';
import { revokedUntil } from '../token-lifetimes.js';
import { checkedJwks } from './client-keys.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ID_PREFIX: Readonly<Record<ClientKind, string>> = { service: 'svc_', enterprise: 'app_' };

export interface NewClient {
  readonly client: ManagedClientRecord;
  /** The secret, shown once; absent for `private_key_jwt` clients. */
  readonly secret?: string;
}

export interface NewClientRequest {
  readonly name: string;
  readonly kind: ClientKind;
  /** For a service: the role whose scopes its tokens may carry. */
  readonly role: Role;
  /** A JWKS (JSON text) for `private_key_jwt`; a generated secret otherwise. */
  readonly jwks?: string;
}

/** Clients only an admin creates: services (`client_credentials`) and enterprise apps (ID-JAG). */
export interface ClientDirectory {
  add(request: NewClientRequest): Promise<NewClient>;
  list(): Promise<ManagedClientRecord[]>;
  /** Deletes the client and revokes its live access tokens (they name it as their grant). */
  remove(clientId: string): Promise<ManagedClientRecord>;
  /** A new secret, replacing the old one at once; only for `client_secret_basic` clients. */
  rotateSecret(clientId: string): Promise<string>;
}

const newSecret = () => randomBytes(32).toString('base64url');

export function createClientDirectory(
  store: AuthStore,
  revocations: GrantRevocations,
  now: () => Date = () => new Date(),
): ClientDirectory {
  const existing = async (clientId: string) => {
    const client = await store.findClient(clientId);
    if (client === undefined) throw new AppError('not_found', `no client ${clientId}`);
    return client;
  };
  return {
    async add({ name, kind, role, jwks }) {
      const canonical = name.trim().toLowerCase();
      if (!NAME.test(canonical)) {
        throw new AppError('invalid_params', 'a client name is 1 to 64 letters, digits or . _ - ');
      }
      if ((await store.listClients()).some((c) => c.name === canonical)) {
        throw new AppError('invalid_params', `a client named ${canonical} already exists`);
      }
      const secret = jwks === undefined ? newSecret() : undefined;
      const client: ManagedClientRecord = {
        clientId: `${ID_PREFIX[kind]}${randomBytes(12).toString('base64url')}`,
        name: canonical,
        kind,
        role: kind === 'service' ? role : 'user',
        authMethod: jwks === undefined ? 'client_secret_basic' : 'private_key_jwt',
        ...(secret !== undefined && { secret }),
        ...(jwks !== undefined && { jwks: checkedJwks(jwks) }),
        createdAt: now().toISOString(),
      };
      await store.insertClient(client);
      return { client, ...(secret !== undefined && { secret }) };
    },
    list: () => store.listClients(),
    async remove(clientId) {
      const client = await existing(clientId);
      await store.deleteClient(clientId);
      // A service's tokens carry its client id as their grant (see the provider's token claims).
      await revocations.revoke(clientId, revokedUntil(now()));
      return client;
    },
    async rotateSecret(clientId) {
      const client = await existing(clientId);
      if (client.authMethod !== 'client_secret_basic') {
        throw new AppError(
          'invalid_params',
          `${clientId} authenticates with private_key_jwt and has no secret`,
        );
      }
      const secret = newSecret();
      await store.setClientSecret(clientId, secret);
      return secret;
    },
  };
}
