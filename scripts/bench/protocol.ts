/** What a server child and the load generator in the parent say to each other over IPC. */

/** The kinds of server child the harness starts, one process each. */
export type ChildKind = 'bare' | 'sdk' | 'app' | 'scale';

/** What the child must check about the first answer before a scenario is measured. */
export interface Expectation {
  /** The tool result has this many todos. */
  readonly todoCount?: number;
  /** The tool result lists exactly these todo ids, in order. */
  readonly todoIds?: readonly string[];
  /** `whoami` names this subject. */
  readonly subject?: string;
  /** `create-todo` returns a todo owned by this subject. */
  readonly ownerId?: string;
}

/** One request that a scenario repeats: the same method, headers and body every time. */
export interface RequestSpec {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly expect: Expectation;
  /**
   * Authorization headers to spread over the connections, one each in turn (the first is also in
   * `headers`): create-todo writes as several users so none reaches the per-user todo cap.
   */
  readonly authorizations?: readonly string[];
  /** For a DPoP scenario: the load generator adds a fresh proof by this key to every request. */
  readonly dpop?: DpopSpec;
  /**
   * For a create-todo scenario: each create is followed by a `delete-todo` of the todo it made, by
   * the same user, so that the owners stay at the count the seed gave them. Both requests count.
   * The users (`authorizations`) take turns per create rather than per connection.
   */
  readonly deleteCreated?: boolean;
}

/** What the load generator needs to make DPoP proofs (RFC 9449 §4.2) for a bound token. */
export interface DpopSpec {
  /** The ES256 key the token is bound to, as JWKs. */
  readonly privateJwk: Readonly<Record<string, unknown>>;
  readonly publicJwk: Readonly<Record<string, unknown>>;
  /** The URL proofs name: the server's resource. */
  readonly htu: string;
  readonly accessToken: string;
}

/** A measurable scenario that a child offers, keyed by a short id. */
export interface OfferedScenario {
  readonly id: string;
  readonly request: RequestSpec;
}

export type ChildMessage =
  | {
      readonly type: 'ready';
      readonly scenarios: readonly OfferedScenario[];
      /** Facts about the setup, e.g. how long seeding took, as sentences for the report. */
      readonly notes: readonly string[];
    }
  | ({ readonly type: 'memory' } & MemoryReading)
  | { readonly type: 'failed'; readonly message: string };

/** A child's memory after full GCs, in bytes. */
export interface MemoryReading {
  readonly rss: number;
  /** V8's heap: what live objects use, and what it holds from the system for them. */
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

export type ParentMessage = { readonly type: 'memory' } | { readonly type: 'stop' };

/** How a child is told what to be: one JSON argument. */
export interface ChildOptions {
  readonly kind: ChildKind;
  /** A folder of its own for temporary files (SQLite databases); the parent removes it. */
  readonly workDir: string;
  /** For `app`: the DATABASE_URL, a SQLite path or a postgres:// URL. */
  readonly databaseUrl?: string;
  /** For `scale`: how many todos, spread evenly over how many users. */
  readonly todos?: number;
  readonly users?: number;
  /** For `app` and `scale`: the issuer the server trusts, served by the parent. */
  readonly issuer?: IssuerHandle;
  /**
   * For `app` on SQLite: also seed the owners of the create-then-delete scenarios (about 100,000
   * todos). A child of its own does this, so that the seeding's memory stays out of the memory runs.
   */
  readonly withOwners?: boolean;
  /**
   * For `app`: run the embedded authorization server instead of trusting `issuer`; tokens are
   * signed with its key and name a grant, so every call passes the revoked-grant check.
   */
  readonly embedded?: boolean;
}

/**
 * The test issuer runs in the parent, so that a server child holds nothing but the server: the
 * child learns its URL and its signing key, and signs the tokens of its scenarios itself.
 */
export interface IssuerHandle {
  readonly url: string;
  /** The private JWK, with `kid` and `alg`, of the key whose public half the issuer's JWKS serves. */
  readonly signingKey: Readonly<Record<string, unknown>>;
}

/** Headers of a 2025-11-25 client's requests after initialize, in stateless mode. */
export function mcpHeaders(token?: string, scheme: 'Bearer' | 'DPoP' = 'Bearer'): Record<string, string> {
  return {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'mcp-protocol-version': '2025-11-25',
    ...(token !== undefined && { authorization: `${scheme} ${token}` }),
  };
}

/** A JSON-RPC `tools/call` body. */
export function toolCall(name: string, args: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
}
