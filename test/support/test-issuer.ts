import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

export interface SignOptions {
  /** Claims merged over the defaults; a value of `undefined` removes the claim. */
  readonly claims?: Record<string, unknown>;
  /** Header parameters merged over the defaults; `undefined` removes one. */
  readonly header?: Record<string, unknown>;
  /** Sign with a key the issuer does not publish. */
  readonly rogue?: boolean;
  readonly kid?: string;
}

export interface TestIssuer {
  readonly issuer: string;
  readonly origin: string;
  readonly hits: { discovery: number; jwks: number };
  /** The audience tokens carry unless a test overrides it. */
  audience: string;
  /** `ok`, or `down` to answer discovery and JWKS with 503. */
  availability: 'ok' | 'down';
  /** RFC 7662 answers by token, served at `/introspect` to the configured client only. */
  readonly introspection: Map<string, Record<string, unknown>>;
  sign(options?: SignOptions): Promise<string>;
  /** Adds a fresh key to the JWKS and signs with it from now on; older keys stay published. */
  rotate(): Promise<void>;
  /** Removes all but the current signing key from the JWKS. */
  retireOldKeys(): void;
  readonly keys: readonly SigningKey[];
  close(): Promise<void>;
}

export interface TestIssuerOptions {
  /** A path for the issuer URL, e.g. `/realms/test`. */
  readonly path?: string;
  /** Which discovery document the issuer serves. */
  readonly discovery?: 'oauth' | 'oidc-inserted' | 'oidc-appended';
  /** The `issuer` the document claims, to test mismatches. */
  readonly claimedIssuer?: string;
  /** Credentials a resource server must present at the introspection endpoint. */
  readonly introspectionClient?: { readonly id: string; readonly secret: string };
  readonly audience?: string;
}

async function newKey(alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/**
 * A real authorization server stand-in on 127.0.0.1: it serves a discovery document and a JWKS
 * over HTTP and signs real JWT access tokens, so the resource server is tested end to end.
 */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const keys: SigningKey[] = [await newKey('RS256'), await newKey('ES256')];
  const rogue = await newKey('RS256');
  let current = keys[0] as SigningKey;
  const hits = { discovery: 0, jwks: 0 };
  const path = options.path ?? '';
  const form = options.discovery ?? 'oauth';

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (issuer.availability === 'down') return send(503, { error: 'unavailable' });
    const url = new URL(req.url ?? '/', issuer.origin);
    const discoveryPath = {
      oauth: `/.well-known/oauth-authorization-server${path}`,
      'oidc-inserted': `/.well-known/openid-configuration${path}`,
      'oidc-appended': `${path}/.well-known/openid-configuration`,
    }[form];
    if (url.pathname === discoveryPath) {
      hits.discovery += 1;
      return send(200, {
        issuer: options.claimedIssuer ?? issuer.issuer,
        jwks_uri: `${issuer.origin}${path}/jwks`,
        authorization_endpoint: `${issuer.origin}${path}/authorize`,
        token_endpoint: `${issuer.origin}${path}/token`,
        code_challenge_methods_supported: ['S256'],
        introspection_endpoint: `${issuer.origin}${path}/introspect`,
      });
    }
    if (url.pathname === `${path}/introspect` && req.method === 'POST') {
      const client = options.introspectionClient;
      const expected = client && `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
      if (expected === undefined || req.headers.authorization !== expected)
        return send(401, { error: 'invalid_client' });
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        raw += chunk;
      });
      req.on('end', () => {
        const token = new URLSearchParams(raw).get('token') ?? '';
        send(200, issuer.introspection.get(token) ?? { active: false });
      });
      return;
    }
    if (url.pathname === `${path}/jwks`) {
      hits.jwks += 1;
      return send(200, { keys: keys.map((k) => k.publicJwk) });
    }
    return send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const issuer: TestIssuer = {
    issuer: `${origin}${path}`,
    origin,
    hits,
    audience: options.audience ?? 'http://localhost/mcp',
    availability: 'ok',
    introspection: new Map(),
    keys,
    async sign(sign = {}) {
      const key = sign.rogue ? rogue : current;
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        iss: issuer.issuer,
        aud: issuer.audience,
        sub: 'alice',
        client_id: 'test-client',
        scope: 'create:todos',
        iat: now,
        exp: now + 300,
        jti: randomUUID(),
        ...sign.claims,
      };
      const header: Record<string, unknown> = {
        alg: key.alg,
        typ: 'at+jwt',
        kid: sign.kid ?? key.kid,
        ...sign.header,
      };
      return new SignJWT(dropUndefined(claims) as JWTPayload)
        .setProtectedHeader(dropUndefined(header) as { alg: string })
        .sign(key.privateKey);
    },
    async rotate() {
      current = await newKey('RS256');
      keys.push(current);
    },
    retireOldKeys() {
      keys.splice(0, keys.length, current);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return issuer;
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
