/** The protocol era a request speaks: 2026-07-28 (`modern`) or a 2025 revision (`legacy`). */
export type Era = 'modern' | 'legacy';

export const MODERN_VERSION = '2026-07-28';
const LEGACY_VERSIONS = new Set(['2025-11-25', '2025-06-18', '2025-03-26']);
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Which era a well-formed request of `method` (with `Mcp-Name` = `name` for tools/call) speaks,
 * or `undefined` when anything is unusual, so that the SDK, the authority on the protocol,
 * answers it: a 2026-07-28 request must carry its envelope and routing headers (SEP-2575,
 * SEP-2243); a 2025 one a known version (none means 2025-03-26) and an Accept of both JSON and
 * event streams.
 */
export function eraOf(headers: Headers, params: Json, method: string, name?: string): Era | undefined {
  const version = header(headers, 'mcp-protocol-version');
  const meta = params._meta;
  if (version === MODERN_VERSION) {
    const isEnvelope =
      isObject(meta) && meta[META_VERSION] === MODERN_VERSION && isObject(meta[META_CAPABILITIES]);
    const isRouted = header(headers, 'mcp-method') === method && header(headers, 'mcp-name') === name;
    return isEnvelope && isRouted ? 'modern' : undefined;
  }
  // Without the header a server assumes 2025-03-26 (MCP 2025-06-18 transports §protocol version).
  if (version !== undefined && !LEGACY_VERSIONS.has(version)) return undefined;
  if (isObject(meta) && META_VERSION in meta) return undefined;
  const accept = header(headers, 'accept') ?? '';
  return accept.includes('application/json') && accept.includes('text/event-stream') ? 'legacy' : undefined;
}

/** A JSON-RPC request id the direct paths echo: a string or a safe integer (never null). */
export const isRequestId = (id: unknown): id is string | number =>
  typeof id === 'string' || Number.isSafeInteger(id);
