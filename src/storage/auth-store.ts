/** Where the embedded authorization server keeps its state: the port its storage adapters implement. */

export type Role = 'user' | 'admin';

export interface UserRecord {
  /** The stable subject (`sub`) of the user's tokens: random, never the username. */
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly createdAt: string;
  /** Set while the account may not sign in (ISO 8601: when it was disabled). */
  readonly disabledAt?: string;
}

export interface SigningKeyRecord {
  readonly kid: string;
  /** The private JWK as JSON. */
  readonly privateJwk: string;
  readonly createdAt: string;
  /** Set when a newer key took over signing; the key stays published until it is pruned. */
  readonly retiredAt?: string;
}

/** One record of oidc-provider's models (sessions, grants, codes, tokens, clients, interactions). */
export interface ModelRecord {
  readonly payload: Record<string, unknown>;
  /** Seconds since the epoch; absent for records that do not expire. */
  readonly expiresAt?: number;
}

/** A stored model record with its id, as the account page and admin console list them. */
export interface StoredModel {
  readonly id: string;
  readonly payload: Record<string, unknown>;
}

/** The part of the port that holds oidc-provider's models. */
export interface OidcModelStore {
  upsertModel(model: string, id: string, record: ModelRecord): Promise<void>;
  /** The record, unless it expired; `consumed` is folded into the payload as oidc-provider expects. */
  findModel(model: string, id: string): Promise<Record<string, unknown> | undefined>;
  findModelByUid(model: string, uid: string): Promise<Record<string, unknown> | undefined>;
  findModelByUserCode(model: string, userCode: string): Promise<Record<string, unknown> | undefined>;
  consumeModel(model: string, id: string, at: number): Promise<void>;
  destroyModel(model: string, id: string): Promise<void>;
  /** Deletes every record that belongs to a grant (its codes and tokens, and the grant itself). */
  revokeGrant(grantId: string): Promise<void>;
  /**
   * In one short transaction: records every grant of one account as revoked until `revokedUntil`
   * (seconds since the epoch; see `GrantRevocations`), then deletes those grants, everything they
   * issued and the account's sessions, so that it must sign in again. Returns the grant ids.
   */
  revokeAccount(accountId: string, revokedUntil: number): Promise<string[]>;
  /** Removes expired records; returns how many. */
  purgeExpired(now: number): Promise<number>;
  /** The unexpired records of one model, of one account when `accountId` is given. */
  listModels(model: string, accountId?: string): Promise<StoredModel[]>;
}

/** The part of the port that holds the accounts people sign in with. */
export interface UserStore {
  insertUser(user: UserRecord): Promise<void>;
  /**
   * Inserts the first accounts, all of them or none, and only into an empty table: false when
   * there were users already (another instance may have created its own first accounts).
   */
  insertFirstUsers(users: readonly UserRecord[]): Promise<boolean>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  deleteUser(id: string): Promise<boolean>;
  setUserRole(id: string, role: Role): Promise<boolean>;
  setUserPassword(id: string, passwordHash: string): Promise<boolean>;
  /** Disables the account as of `disabledAt` (ISO 8601), or enables it with `undefined`. */
  setUserDisabled(id: string, disabledAt: string | undefined): Promise<boolean>;
  countUsers(): Promise<number>;
}

/** The part of the port that holds the server's key material: token signing keys and named secrets. */
export interface KeyMaterialStore {
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Adds a key as the newest and marks every older unretired key retired at `retiredAt`. */
  addSigningKey(key: SigningKeyRecord, retiredAt: string): Promise<void>;
  deleteSigningKey(kid: string): Promise<void>;

  /** A named secret, created with `generate` the first time it is asked for (first writer wins). */
  secret(name: string, generate: () => string): Promise<string>;
}

/**
 * What an admin-created client is for: `service` clients get tokens for themselves with the
 * `client_credentials` grant; `enterprise` clients exchange an enterprise IdP's ID-JAG for a
 * person's token (the JWT bearer grant, RFC 7523).
 */
export type ClientKind = 'service' | 'enterprise';

/** A client created by an admin with the CLI, never by registration. */
export interface ManagedClientRecord {
  readonly clientId: string;
  /** Unique, for people: `ci-bot`, `nightly-agent`. */
  readonly name: string;
  readonly kind: ClientKind;
  /** The role whose scopes a service's tokens may carry; `user` for enterprise clients. */
  readonly role: Role;
  /** `client_secret_basic`, or `private_key_jwt` with `jwks` given at creation. */
  readonly authMethod: 'client_secret_basic' | 'private_key_jwt';
  /** The secret oidc-provider compares at the token endpoint; absent with `private_key_jwt`. */
  readonly secret?: string;
  /** The client's public keys (a JWKS as JSON), for `private_key_jwt`. */
  readonly jwks?: string;
  readonly createdAt: string;
}

/** The part of the port that holds admin-created clients. */
export interface ClientStore {
  insertClient(client: ManagedClientRecord): Promise<void>;
  findClient(clientId: string): Promise<ManagedClientRecord | undefined>;
  listClients(): Promise<ManagedClientRecord[]>;
  deleteClient(clientId: string): Promise<boolean>;
  setClientSecret(clientId: string, secret: string): Promise<boolean>;
}

/** A live grant as stored, with the client record it names (when registered) and its usage. */
export interface GrantRecord {
  readonly grantId: string;
  readonly accountId: string;
  readonly clientId: string;
  /** oidc-provider's Grant payload (scopes per resource, `iat`). */
  readonly payload: Record<string, unknown>;
  /** The stored Client payload: present for clients registered here (DCR), absent otherwise. */
  readonly client?: Record<string, unknown>;
  /** Seconds since the epoch. */
  readonly expiresAt?: number;
  readonly firstUsedAt?: number;
  readonly lastUsedAt?: number;
}

/** The part of the port that tells which grants exist and when their tokens were used. */
export interface GrantUsageStore {
  /** Records a use of a grant's token at `at` (seconds): the first use stays, the last moves on. */
  recordGrantUse(grantId: string, at: number): Promise<void>;
  /** The unexpired grants of one account, or of everyone without one, most recently used first. */
  listGrantRecords(accountId?: string): Promise<GrantRecord[]>;
  /** Forgets usage of grants that no longer exist; returns how many. */
  purgeGrantUsage(): Promise<number>;
}

/** The whole port; each adapter composes it from one implementation per part. */
export interface AuthStore
  extends OidcModelStore,
    UserStore,
    KeyMaterialStore,
    ClientStore,
    GrantUsageStore {}
