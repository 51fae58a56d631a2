import {
  Client,
  type OAuthClientProvider,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { cli } from './cli-io.js';

export interface CreatedClient {
  readonly clientId: string;
  readonly secret: string | undefined;
}

/** Runs `clients add …` through the CLI on the server's database and reads what it printed. */
export async function addClient(databaseUrl: string, args: readonly string[]): Promise<CreatedClient> {
  const run = await cli(['clients', 'add', ...args, '--database-url', databaseUrl]);
  if (run.code !== 0) throw new Error(`clients add failed: ${run.stderr}`);
  const clientId = /^Client ID: (\S+)$/m.exec(run.stdout)?.[1];
  if (clientId === undefined) throw new Error(`no client id in ${run.stdout}`);
  return { clientId, secret: /^Client secret \(shown once\): (\S+)$/m.exec(run.stdout)?.[1] };
}

/** Connects the real SDK client through an OAuth provider of the SDK's own (no sign-in page). */
export async function connectWith(mcpUrl: string, authProvider: OAuthClientProvider): Promise<Client> {
  const client = new Client({ name: 'todo-manager-machine-tests', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider }));
  return client;
}

/** A form POST to the token endpoint, with HTTP Basic client authentication when credentials are given. */
export async function tokenRequest(
  origin: string,
  params: Record<string, string>,
  basic?: { readonly id: string; readonly secret: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) {
    const pair = `${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  const response = await fetch(`${origin}/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
