const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'conformance-preflight', version: '1.0.0' },
  },
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

async function initialize(url: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: INITIALIZE,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

/** The `result.capabilities` of an initialize answer, sent as JSON or as one SSE event. */
function capabilitiesOf(body: string): Record<string, unknown> | undefined {
  const json = body.trimStart().startsWith('{')
    ? body
    : body
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5))
        .join('');
  try {
    const message = JSON.parse(json) as { result?: { capabilities?: Record<string, unknown> } };
    return message.result?.capabilities;
  } catch {
    return undefined;
  }
}

export interface Preflight {
  readonly problems: readonly string[];
  /** The capabilities the server declares: what the reasons for checks that do not apply refer to. */
  readonly capabilities: Readonly<Record<string, unknown>>;
}

/**
 * Makes sure the run measures what it claims to: without credentials the server refuses an
 * `initialize` (401), and through the token proxy the same request succeeds (200). Otherwise a
 * scenario could pass or fail because of the proxy rather than the server.
 */
export async function checkRoutes(directUrl: string, proxiedUrl: string): Promise<Preflight> {
  const problems: string[] = [];
  const direct = await initialize(directUrl);
  if (direct.status !== 401)
    problems.push(`initialize without a token answered ${direct.status}, expected 401`);
  const proxied = await initialize(proxiedUrl);
  if (proxied.status !== 200) {
    problems.push(`initialize through the token proxy answered ${proxied.status}, expected 200`);
  }
  const capabilities = capabilitiesOf(proxied.body);
  if (proxied.status === 200 && capabilities === undefined) {
    problems.push('initialize through the token proxy returned no capabilities');
  }
  return { problems, capabilities: capabilities ?? {} };
}
