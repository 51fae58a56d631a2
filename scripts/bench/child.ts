/**
 * One server of the benchmark, in a process of its own so that it never shares an event loop with
 * the load generator. The parent starts it with one JSON argument (ChildOptions), gets `ready` with
 * the scenarios it offers, may ask for its memory, and finally tells it to stop.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from './app-server.js';
import {
  type ChildMessage,
  type ChildOptions,
  mcpHeaders,
  type OfferedScenario,
  type ParentMessage,
  type RequestSpec,
  toolCall,
} from './protocol.js';

interface Started {
  readonly scenarios: OfferedScenario[];
  readonly notes: readonly string[];
  close(): Promise<void>;
}

const READER = 'bench-reader';
const WRITER = 'bench-writer';
/** Writers of the create-todo rows; a run writes as ten of them (one per connection). */
const WRITERS = 100;
const READER_TODOS = 20;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Each kind imports only what it runs, so that the floors' memory is not inflated by modules of
 * the app (the authorization server's, the database driver's) that they never use.
 */
async function start(options: ChildOptions): Promise<Started> {
  switch (options.kind) {
    case 'bare': {
      const { createBareServer } = await import('./bare-server.js');
      const server = createBareServer();
      const url = await listen(server);
      const request = { url, headers: mcpHeaders(), body: toolCall('ping'), expect: {} };
      return { scenarios: [{ id: 'tools-call', request }], notes: [], close: () => closeServer(server) };
    }
    case 'sdk': {
      const { createSdkServer } = await import('./sdk-server.js');
      const sdk = createSdkServer();
      const url = await listen(sdk.server);
      const request = { url, headers: mcpHeaders(), body: toolCall('ping'), expect: {} };
      return {
        scenarios: [{ id: 'tools-call', request }],
        notes: [],
        async close() {
          await closeServer(sdk.server);
          await sdk.close();
        },
      };
    }
    case 'app': {
      const { startApp } = await import('./app-server.js');
      const { describeSeed, newIds, seedTodos } = await import('./seed.js');
      const databaseUrl = required(options.databaseUrl, 'databaseUrl');
      const plan = { total: READER_TODOS, users: [READER], startMs: Date.now() - 86_400_000 };
      const seeded = await seedTodos(databaseUrl, plan, newIds(READER_TODOS), 0, READER_TODOS);
      const running = await startApp(databaseUrl, required(options.issuer, 'issuer'), options.embedded);
      const reader = await running.token(READER, 'create:todos');
      // One writer per connection, each run taking the next ten: at several thousand creates a
      // second, ten users would pass the 10,000-todo cap within a full run and fail the creates.
      const writers = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          running.token(i === 0 ? WRITER : `${WRITER}-${i}`, 'create:todos'),
        ),
      );
      const [writer = ''] = writers;
      const url = running.mcpUrl;
      const started: Started = {
        scenarios: [
          {
            id: 'get-todos',
            request: {
              url,
              headers: mcpHeaders(reader),
              body: toolCall('get-todos'),
              expect: { todoCount: 20 },
            },
          },
          {
            id: 'create-todo',
            request: {
              url,
              headers: mcpHeaders(writer),
              body: toolCall('create-todo', { content: 'Benchmark: buy milk' }),
              expect: { ownerId: WRITER },
              authorizations: writers.map((token) => mcpHeaders(token).authorization ?? ''),
            },
          },
          {
            id: 'get-todos-dpop',
            request: {
              ...(await dpopReader(running)),
              body: toolCall('get-todos'),
              expect: { todoCount: 20 },
            },
          },
          {
            id: 'whoami',
            request: {
              url,
              headers: mcpHeaders(reader),
              body: toolCall('whoami'),
              expect: { subject: READER },
            },
          },
        ],
        notes: [`seeded the get-todos user's ${READER_TODOS} todos ${describeSeed(seeded)}`],
        close: () => running.close(),
      };
      if (!options.withOwners) return started;
      // SQLite only: owners of few and of many todos, to show that a create costs the same for both.
      const pairs = await Promise.all(
        (
          [
            ['light', LIGHT_TODOS],
            ['heavy', HEAVY_TODOS],
          ] as const
        ).map(([kind, perOwner]) => createDeletePairs(running, databaseUrl, kind, perOwner)),
      );
      return {
        ...started,
        scenarios: [...started.scenarios, ...pairs.map((pair) => pair.scenario)],
        notes: [...started.notes, ...pairs.map((pair) => pair.note)],
      };
    }
    case 'scale': {
      const { setUpScale } = await import('./scale-setup.js');
      const setup = await setUpScale(
        required(options.databaseUrl, 'databaseUrl'),
        required(options.issuer, 'issuer'),
        required(options.todos, 'todos'),
        required(options.users, 'users'),
      );
      return { scenarios: setup.scenarios, notes: setup.notes, close: () => setup.running.close() };
    }
  }
}

/** Todos of each of the ten "light" and ten "heavy" owners of the create-then-delete scenarios. */
const LIGHT_TODOS = 1;
/** Ten below the 9,990 that leaves room for every create of ten connections in flight at once. */
const HEAVY_TODOS = 9_980;

/**
 * Ten owners with `perOwner` todos each and the scenario in which they create a todo and delete
 * it again (`deleteCreated`), taking turns, so that each stays at `perOwner` to `perOwner` + 10.
 */
async function createDeletePairs(
  running: RunningApp,
  databaseUrl: string,
  kind: 'light' | 'heavy',
  perOwner: number,
): Promise<{ scenario: OfferedScenario; note: string }> {
  const { describeSeed, newIds, seedTodos } = await import('./seed.js');
  const users = Array.from({ length: 10 }, (_, i) => `bench-${kind}-${i}`);
  const total = users.length * perOwner;
  const seeded = await seedTodos(
    databaseUrl,
    { total, users, startMs: Date.now() - 86_400_000 },
    newIds(total),
    0,
    total,
  );
  const tokens = await Promise.all(users.map((user) => running.token(user, 'create:todos')));
  const authorizations = tokens.map((token) => mcpHeaders(token).authorization ?? '');
  return {
    scenario: {
      id: `create-delete-${kind}`,
      request: {
        url: running.mcpUrl,
        headers: mcpHeaders(tokens[0]),
        body: toolCall('create-todo', { content: 'Benchmark: buy milk' }),
        expect: { ownerId: users[0] ?? '' },
        authorizations,
        deleteCreated: true,
      },
    },
    note: `seeded ${users.length} owners with ${perOwner.toLocaleString('en')} todos each ${describeSeed(seeded)}`,
  };
}

/**
 * The get-todos reader with a DPoP-bound token (RFC 9449): an ES256 key of its own, the token's
 * `cnf.jkt` its thumbprint; the load generator signs a proof for every request.
 */
async function dpopReader(running: RunningApp): Promise<Pick<RequestSpec, 'url' | 'headers' | 'dpop'>> {
  const { calculateJwkThumbprint, exportJWK, generateKeyPair } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const jkt = await calculateJwkThumbprint(publicJwk, 'sha256');
  const accessToken = await running.token(READER, 'create:todos', { cnf: { jkt } });
  return {
    url: running.mcpUrl,
    headers: mcpHeaders(accessToken, 'DPoP'),
    dpop: { privateJwk: await exportJWK(privateKey), publicJwk, htu: running.config.resource, accessToken },
  };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`the child needs ${name}`);
  return value;
}

/**
 * A full GC's own working memory (mark worklists, evacuation buffers) stays resident for a moment
 * after it: read straight after two GCs, the SDK server's RSS spread over 76 MiB in seven readings
 * of one run; read a second later, over 9 MiB.
 */
const SETTLE_MS = 1000;

/** Memory after two full GCs (the child runs with `--expose-gc`) and a moment to settle. */
async function memory(): Promise<ChildMessage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { type: 'memory', rss, heapUsed, heapTotal, external };
}

async function main(): Promise<void> {
  // The parent is gone (crashed or killed): nobody will ever send `stop`.
  process.on('disconnect', () => process.exit(0));
  const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
  let started: Started;
  try {
    started = await start(options);
  } catch (error) {
    send({
      type: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  }
  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'memory':
        void memory().then(send);
        break;
      case 'stop':
        void started.close().finally(() => process.exit(0));
        break;
    }
  });
  send({ type: 'ready', scenarios: started.scenarios, notes: started.notes });
}

void main();
