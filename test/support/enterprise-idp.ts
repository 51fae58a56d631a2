import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** What an ID-JAG (or a forged one) is made of: claims and the protected header's `typ`. */
export interface IdJagParts {
  readonly claims: JWTPayload;
  readonly typ?: string;
  /** Sign with a key the IdP does not publish (under its published `kid`). */
  readonly withForeignKey?: boolean;
}

export interface EnterpriseIdp {
  readonly issuer: string;
  /** The IdP's client that the MCP host uses for the token exchange. */
  readonly client: { readonly id: string; readonly secret: string };
  /** The client id the MCP host has at our authorization server, put in every ID-JAG as `client_id`. */
  clientIdAtResource: string;
  /** An ID token the IdP issued to the host's client after the person signed in (the exchange's subject). */
  idToken(email: string): Promise<string>;
  /** Signs an ID-JAG as this IdP would (`typ` oauth-id-jag+jwt), or forges one for adversarial tests. */
  signIdJag(parts: IdJagParts): Promise<string>;
  close(): Promise<void>;
}

const ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';

/**
 * A test enterprise identity provider on 127.0.0.1 (port 0): RFC 8414 metadata, a JWKS, and a
 * token endpoint doing the RFC 8693 token exchange of an ID token for an ID-JAG, as an IdP does
 * for Enterprise-Managed Authorization (SEP-990), signed with keys of its own.
 */
export async function startEnterpriseIdp(): Promise<EnterpriseIdp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const foreign = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' };
  const client = { id: 'mcp-host-at-idp', secret: randomUUID() };
  const server = createServer((req, res) => {
    route(req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (claims: JWTPayload, typ: string, key: CryptoKey) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ }).sign(key);

  const idp: EnterpriseIdp = {
    issuer,
    client,
    clientIdAtResource: '',
    idToken: (email) =>
      sign(
        { iss: issuer, sub: email, email, aud: client.id, iat: now(), exp: now() + 300 },
        'JWT',
        privateKey,
      ),
    signIdJag: ({ claims, typ = 'oauth-id-jag+jwt', withForeignKey = false }) =>
      sign(claims, typ, withForeignKey ? foreign.privateKey : privateKey),
    close: () => closeServer(server),
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.url === '/.well-known/oauth-authorization-server') {
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      });
    }
    if (req.url === '/jwks') return send(res, 200, { keys: [jwk] });
    if (req.url !== '/token' || req.method !== 'POST') return send(res, 404, { error: 'not_found' });
    const form = new URLSearchParams(await readBody(req));
    if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const subject = await jwtVerify(form.get('subject_token') ?? '', publicKey, {
      issuer,
      audience: client.id,
    }).catch(() => undefined);
    if (form.get('requested_token_type') !== ID_JAG || subject === undefined) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    const scope = form.get('scope') ?? undefined;
    const idJag = await idp.signIdJag({
      claims: {
        iss: issuer,
        sub: String(subject.payload.sub),
        email: subject.payload.email,
        aud: form.get('audience') ?? '',
        resource: form.get('resource') ?? '',
        client_id: idp.clientIdAtResource,
        jti: randomUUID(),
        iat: now(),
        exp: now() + 300,
        ...(scope !== undefined && { scope }),
      },
    });
    return send(res, 200, {
      issued_token_type: ID_JAG,
      access_token: idJag,
      token_type: 'N_A',
      expires_in: 300,
    });
  }
  return idp;
}

export const now = () => Math.floor(Date.now() / 1000);

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
