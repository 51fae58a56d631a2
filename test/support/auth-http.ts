import { request } from 'node:http';
import type { CryptoKey } from 'jose';

/** The scope list every no-credentials challenge names (ARCHITECTURE §2). */
export const ALL_SCOPES = 'create:todos read:todos delete:todos';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface PostOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The whole Authorization header, when a test needs a scheme other than Bearer. */
  readonly authorization?: string;
  readonly body?: string;
  readonly search?: string;
}

/** A JSON-RPC `tools/call` as a stateless 2025-11-25 client sends it (no initialize needed). */
export function toolCallBody(name: string, args: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
}

/** POSTs to the MCP endpoint with plain fetch, so the test sees the raw status and headers. */
export async function postMcp(mcpUrl: string, options: PostOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const response = await fetch(`${mcpUrl}${options.search ?? ''}`, {
    method: 'POST',
    headers,
    body: options.body ?? toolCallBody('whoami'),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export async function getJson(url: string): Promise<HttpResult> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export interface ToolOutcome {
  readonly isError: boolean;
  readonly value: Record<string, unknown>;
}

/** Reads the tool result of a successful raw `tools/call`, answered as JSON or as one SSE event. */
export function toolOutcome(result: HttpResult): ToolOutcome {
  if (result.status !== 200) throw new Error(`expected 200, got ${result.status}: ${result.text}`);
  const json = result.headers.get('content-type')?.startsWith('text/event-stream')
    ? result.text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice('data:'.length).trim())
        .join('')
    : result.text;
  const message = JSON.parse(json) as {
    result?: { isError?: boolean; structuredContent?: Record<string, unknown> };
    error?: unknown;
  };
  if (message.result === undefined) throw new Error(`not a tool result: ${json}`);
  return { isError: message.result.isError === true, value: message.result.structuredContent ?? {} };
}

export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses one `WWW-Authenticate` challenge with quoted-string auth-params (RFC 9110 §11.6.1). */
export function parseChallenge(header: string | null): Challenge {
  if (header === null) throw new Error('no WWW-Authenticate header');
  const [scheme = '', rest = ''] = header.split(/ (.*)/s);
  const params: Record<string, string> = {};
  for (const [, name = '', value = ''] of rest.matchAll(/([\w-]+)="((?:[^"\\]|\\.)*)"/g)) {
    params[name] = value.replace(/\\(.)/g, '$1');
  }
  return { scheme, params };
}

export interface RawResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/**
 * Sends a request with node:http, which writes every value of an array header on its own line;
 * fetch would merge repeated headers into one.
 */
export function sendRaw(
  url: string,
  headers: Record<string, string | string[]>,
  body: string,
): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Builds a compact JWS by hand (for `alg: none` and other shapes a signing library refuses). */
export function compactJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature = '',
): string {
  return `${base64url(header)}.${base64url(payload)}.${signature}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Signs a compact JWS with an RS256 key without a JWT library's own checks, for headers such a
 * library refuses to produce (an unknown `crit` extension, for one).
 */
export async function signRs256(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: CryptoKey,
): Promise<string> {
  const input = `${base64url({ alg: 'RS256', ...header })}.${base64url(payload)}`;
  const signature = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}
