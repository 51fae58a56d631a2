import { type Agent, request } from 'node:http';
import type { CryptoKey } from 'jose';

/** The scope list every no-credentials challenge names (ARCHITECTURE §2). */
export const ALL_SCOPES = 'create:todos read:todos delete:todos';

/** The proof algorithms a DPoP challenge lists (`algs`, RFC 9449 §7.1). */
export const DPOP_ALGS = 'RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA Ed25519';

/**
 * The exact `WWW-Authenticate` value for a request without usable credentials, by `AUTH_DPOP`:
 * a Bearer challenge, a DPoP one, or both (RFC 6750 §3; RFC 9449 §7.1, §7.2).
 */
export function noCredentialsChallenge(
  metadataUrl: string,
  dpop: 'allowed' | 'required' | 'off' = 'allowed',
): string {
  const resource = `resource_metadata="${metadataUrl}", scope="${ALL_SCOPES}"`;
  const bearer = `Bearer ${resource}`;
  const dpopChallenge = `DPoP algs="${DPOP_ALGS}", ${resource}`;
  return { allowed: `${bearer}, ${dpopChallenge}`, required: dpopChallenge, off: bearer }[dpop];
}

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

/** The data of each event in a server-sent event stream. */
export function eventData(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice('data:'.length).trim());
}

/** The JSON-RPC text of an answer: the body itself, or the data of its one server-sent event. */
function jsonText(contentType: string, text: string): string {
  return contentType.startsWith('text/event-stream') ? eventData(text).join('') : text;
}

type ToolMessage = {
  result?: { isError?: boolean; structuredContent?: Record<string, unknown>; content?: { text?: string }[] };
};

/** A result's value: the structured result of a success, the `{ error }` text of a tool error. */
const outcomeOf = (result: NonNullable<ToolMessage['result']>): ToolOutcome => ({
  isError: result.isError === true,
  value:
    result.isError === true
      ? (JSON.parse(result.content?.[0]?.text ?? '{}') as Record<string, unknown>)
      : (result.structuredContent ?? {}),
});

/** Reads the tool result of a successful raw `tools/call`, answered as JSON or as one SSE event. */
export function toolOutcome(result: HttpResult): ToolOutcome {
  if (result.status !== 200) throw new Error(`expected 200, got ${result.status}: ${result.text}`);
  const json = jsonText(result.headers.get('content-type') ?? '', result.text);
  const message = JSON.parse(json) as ToolMessage;
  if (message.result === undefined) throw new Error(`not a tool result: ${json}`);
  return outcomeOf(message.result);
}

/** The tool result a raw answer carries, or `undefined` for anything else (another status, no JSON, an error). */
export function toolResultOf(
  answer: Pick<RawResult, 'status' | 'contentType' | 'text'>,
): ToolOutcome | undefined {
  if (answer.status !== 200) return undefined;
  try {
    const message = JSON.parse(jsonText(answer.contentType, answer.text)) as ToolMessage;
    return message.result === undefined ? undefined : outcomeOf(message.result);
  } catch {
    return undefined;
  }
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
  readonly contentType: string;
  readonly text: string;
}

export interface RawOptions {
  /** The agent to send through, to reuse keep-alive connections. */
  readonly agent?: Agent;
  /** How long to wait for the answer before giving up with an error. */
  readonly timeoutMs?: number;
}

/**
 * POSTs with node:http exactly the headers given (every value of an array header on its own line;
 * fetch would merge them), and settles on the whole answer. An error before any answer rejects.
 */
export function sendRaw(
  url: string,
  headers: Record<string, string | string[] | number>,
  body: string | Buffer,
  options: RawOptions = {},
): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    let isAnswered = false;
    const { agent, timeoutMs } = options;
    const req = request(url, { method: 'POST', headers, ...(agent && { agent }) }, (res) => {
      isAnswered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    if (timeoutMs !== undefined) {
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    }
    req.on('error', (error) => {
      // A server may answer early (413, 431) and close while the body is still on its way.
      if (!isAnswered) reject(error);
    });
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
