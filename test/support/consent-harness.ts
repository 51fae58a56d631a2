import { setTimeout as delay } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { CountingProxy } from './counting-proxy.js';
import { ensureInspector, runInspectorCli } from './inspector.js';
import { startMcpRemote } from './mcp-remote.js';
import { connectWithOAuth, MemoryOAuthClient, signIn } from './oauth-client.js';
import { ensurePythonSdk, runPythonPlan } from './python-sdk.js';
import type { RunningServer } from './start-server.js';

/** How often the person asks for another owner's todos. */
export const ATTEMPTS = 3;

/** What the person went through over the attempts, counted at the server, after the first sign-in. */
export interface Measured {
  readonly client: string;
  readonly consentPages: number;
  readonly signInPages: number;
  /** 403s the MCP endpoint answered. */
  readonly forbidden: number;
  /** What the client finally showed for the last attempt. */
  readonly message: string;
}

/** Where the harness runs: the server behind the counting proxy, and the owner whose todos are asked for. */
export interface Stage {
  readonly server: RunningServer;
  readonly proxy: CountingProxy;
  readonly ownerId: string;
  readonly home: string;
}

const ask = (stage: Stage) => ({ name: 'get-todos', arguments: { ownerId: stage.ownerId } });
const password = (stage: Stage) => stage.server.password('user');

async function attempts(stage: Stage, client: string, attempt: () => Promise<string>): Promise<Measured> {
  stage.proxy.reset();
  let message = '';
  for (let i = 0; i < ATTEMPTS; i += 1) message = await attempt();
  const { consentPages, signInPages, forbidden } = stage.proxy.counts();
  return { client, consentPages, signInPages, forbidden, message };
}

function textOf(result: { content?: unknown }): string {
  const [first] = Array.isArray(result.content) ? (result.content as { text?: string }[]) : [];
  return first?.text ?? JSON.stringify(result);
}

/**
 * SDK v2 client with `onInsufficientScope: 'reauthorize'`, in a host that signs the person in
 * whenever the client sends them to the authorization server, then retries (twice at most).
 */
export async function sdkV2Reauthorize(stage: Stage): Promise<Measured> {
  const oauth = new MemoryOAuthClient();
  const transport = () =>
    new StreamableHTTPClientTransport(new URL(stage.server.mcpUrl), {
      authProvider: oauth,
      onInsufficientScope: 'reauthorize',
    });
  const signInWhereSent = async (target: StreamableHTTPClientTransport) => {
    const url = oauth.authorizationUrl;
    oauth.authorizationUrl = undefined;
    if (url === undefined) return false;
    const { callback } = await signIn(url, 'user', password(stage), oauth.redirectUrl);
    if (callback?.get('code') == null) return false;
    await target.finishAuth(callback);
    return true;
  };
  const first = transport();
  await new Client({ name: 'consent-harness', version: '1.0.0' }).connect(first).catch(() => {});
  await signInWhereSent(first);
  const live = transport();
  const client = new Client({ name: 'consent-harness', version: '1.0.0' });
  await client.connect(live);
  try {
    return await attempts(stage, 'SDK v2 client (reauthorize)', async () => {
      // The call, and one retry after the person signed in where the client sent them; a
      // redirect after that still opens the browser, but the host shows the error.
      let last = '';
      for (let round = 0; round < 2; round += 1) {
        try {
          return textOf(await client.callTool(ask(stage)));
        } catch (error) {
          last = String(error);
          if (!(error instanceof UnauthorizedError) || !(await signInWhereSent(live))) break;
        }
      }
      return last;
    });
  } finally {
    await client.close();
  }
}

/** mcp-remote, with the person signing in whenever it prints an authorization URL. */
export async function mcpRemote(stage: Stage): Promise<Measured> {
  const remote = await startMcpRemote(stage.server.mcpUrl);
  const urls = () => [...remote.stderr().matchAll(/Please authorize this client by visiting:\s*\n(\S+)/g)];
  const landings: string[] = [];
  const signInAt = async (url: string) => {
    const { callback } = await signIn(new URL(url), 'user', password(stage), remote.redirectUrl);
    if (callback === undefined) return;
    // Where the browser goes next; mcp-remote may no longer be listening there.
    const landing = await remote.deliverCallback(callback).catch((error: unknown) => error);
    if (landing instanceof Response) await landing.body?.cancel();
    else landings.push(`the browser could not reach mcp-remote's callback (${String(landing)})`);
  };
  try {
    await signInAt((await remote.authorizationUrl()).href);
    await remote.established();
    await remote.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'consent-harness', version: '1.0.0' },
    });
    remote.notify('notifications/initialized');
    return await attempts(stage, 'mcp-remote', async () => {
      let seen = urls().length;
      let done = false;
      // A bridge that steps up prints a new URL and waits for the browser to come back.
      const person = (async () => {
        while (!done) {
          const all = urls();
          if (all.length > seen) await signInAt(all[seen++]?.[1] ?? '');
          await delay(100);
        }
      })();
      const response = await remote
        .request('tools/call', ask(stage))
        .catch((error: unknown) => ({
          error: { message: String(error).split('\n')[0] ?? '' },
          result: undefined,
        }))
        .finally(() => {
          done = true;
        });
      await person;
      const shown = response.error ? response.error.message : textOf(response.result ?? {});
      return [shown, ...landings.splice(0)].join('; ');
    });
  } finally {
    await remote.close();
  }
}

/** The Python SDK: its OAuthClientProvider steps up on a 403 by itself. */
export async function pythonSdk(stage: Stage): Promise<Measured> {
  const python = await ensurePythonSdk();
  stage.proxy.reset();
  const report = await runPythonPlan(python, {
    url: stage.server.mcpUrl,
    username: 'user',
    password: password(stage),
    mode: 'legacy',
    steps: [
      { op: 'list_tools' },
      ...Array.from({ length: ATTEMPTS }, () => ({ op: 'call' as const, ...toolOf(stage) })),
    ],
  });
  const firstSignIn = report.authorizations[0]?.pages ?? [];
  const { consentPages, signInPages, forbidden } = stage.proxy.counts();
  const last = report.steps.at(-1);
  return {
    client: 'Python SDK 2.3.0',
    consentPages: consentPages - firstSignIn.filter((p) => p.kind === 'consent').length,
    signInPages: signInPages - firstSignIn.filter((p) => p.kind === 'sign-in').length,
    forbidden,
    message: last?.mcp_error ? `${last.mcp_error.code} ${last.mcp_error.message}` : (last?.texts?.[0] ?? ''),
  };
}

const toolOf = (stage: Stage) => ({ tool: 'get-todos', args: { ownerId: stage.ownerId } });

/** The Inspector CLI with the user's bearer token (its OAuth step-up asks at a terminal prompt). */
export async function inspectorCli(stage: Stage): Promise<Measured> {
  const inspector = await ensureInspector();
  const { client, oauth } = await connectWithOAuth(stage.server.mcpUrl, 'user', password(stage));
  await client.close();
  const token = oauth.tokens()?.access_token ?? '';
  return attempts(stage, 'Inspector CLI 2.12 (bearer)', async () => {
    const run = await runInspectorCli(inspector, stage.home, [
      ...[stage.server.mcpUrl, '--transport', 'http', '--header', `Authorization: Bearer ${token}`],
      ...['--format', 'json', '--method', 'tools/call', '--tool-name', 'get-todos'],
      ...['--tool-args-json', JSON.stringify({ ownerId: stage.ownerId })],
    ]);
    return `exit ${run.code}: ${run.code === 5 ? run.stdout.trim() : run.stderr.trim().split('\n').at(-1)}`;
  });
}
