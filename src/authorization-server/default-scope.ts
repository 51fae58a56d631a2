import { IncomingMessage } from 'node:http';
import { TODO_SCOPES } from '../todos/scopes.js';
import { readBody } from '../web/read-body.js';

/**
 * The scope of an authorization request that names none: the three todo scopes, of which the
 * consent step grants what the account's role allows. Clients that follow the MCP spec omit
 * `scope` when neither a challenge nor the metadata names one (RFC 6749 §3.3 lets the server
 * choose a default); oidc-provider would otherwise refuse such a request with access_denied.
 */
export const DEFAULT_SCOPE = TODO_SCOPES.join(' ');

const MAX_FORM_BYTES = 64 * 1024;

/** Whether authorization parameters ask for no scope and carry none inside a request object. */
function needsDefault(params: URLSearchParams): boolean {
  return !params.get('scope')?.trim() && !params.has('request') && !params.has('request_uri');
}

/** Whether a token request is a service's (`client_credentials`) that names no scope. */
function needsTokenDefault(params: URLSearchParams): boolean {
  return params.get('grant_type') === 'client_credentials' && !params.get('scope')?.trim();
}

/**
 * The request oidc-provider should see for the authorization endpoint (`/auth`, GET or POST),
 * pushed authorization requests (`/request`, RFC 9126) and a service's `client_credentials`
 * token request (`/token`, where the role then bounds the default): with `scope` set to the
 * default when the client sent none; unchanged otherwise. A form body is read (bounded) and replayed.
 */
export async function withDefaultScope(req: IncomingMessage, path: string): Promise<IncomingMessage> {
  if (path !== '/auth' && path !== '/request' && path !== '/token') return req;
  if (req.method === 'GET' && path === '/auth') {
    const url = new URL(req.url ?? '/', 'http://internal');
    if (!needsDefault(url.searchParams)) return req;
    url.searchParams.set('scope', DEFAULT_SCOPE);
    req.url = `${url.pathname}${url.search}`;
    return req;
  }
  if (
    req.method !== 'POST' ||
    !/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')
  ) {
    return req;
  }
  const params = new URLSearchParams(await readBody(req, MAX_FORM_BYTES));
  if (path === '/token' ? needsTokenDefault(params) : needsDefault(params))
    params.set('scope', DEFAULT_SCOPE);
  return replay(req, params.toString());
}

/** A copy of a request whose body has been read, carrying `body` instead. */
function replay(req: IncomingMessage, body: string): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.headers = { ...req.headers, 'content-length': String(Buffer.byteLength(body)) };
  copy.push(body);
  copy.push(null);
  // Without this, a consumed copy counts as aborted when destroyed, and takes the shared socket down.
  copy.complete = true;
  return copy;
}
