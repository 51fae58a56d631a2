import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, type TestContext, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Todo } from '../../src/todos/todo.js';
import { type RawResult, sendRaw, toolCallBody, toolResultOf } from '../support/auth-http.js';
import { admin, freshSchema, type TestDatabase } from '../support/postgres.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

const WRITERS = 20;
/** How long the writers hammer the server before it is killed. */
const LOAD_MS = 1_000;
/** The least number of acknowledged creates before the kill, so the check has something to find. */
const MIN_ACKNOWLEDGED = 50;
/** A writer stops after this many creates even if the kill never comes (bounded loops). */
const MAX_CREATES_PER_WRITER = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** A raw tools/call as a stateless 2025-11-25 client sends it. */
function callTool(
  url: string,
  agent: Agent,
  token: string,
  name: string,
  args: Record<string, unknown>,
): Promise<RawResult> {
  const body = toolCallBody(name, args);
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
    'content-length': Buffer.byteLength(body),
  };
  return sendRaw(url, headers, body, { agent, timeoutMs: REQUEST_TIMEOUT_MS });
}

/** The structured result of a successful tool call, or `undefined` for anything else. */
function toolValue(reply: RawResult): Record<string, unknown> | undefined {
  const result = toolResultOf(reply);
  return result?.isError === false ? result.value : undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Why a listed row is not a whole todo, or `undefined` when every field is sound. */
function rowProblem(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return 'not an object';
  const { id, content, ownerId, createdAt, updatedAt, done } = row as Record<string, unknown>;
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(id)) return `bad id ${String(id)}`;
  if (typeof content !== 'string' || content.length === 0) return 'empty content';
  if (typeof ownerId !== 'string' || !/^writer-\d+$/.test(ownerId)) return `bad owner ${String(ownerId)}`;
  for (const time of [createdAt, updatedAt]) {
    if (typeof time !== 'string' || !ISO_INSTANT.test(time) || Number.isNaN(Date.parse(time)))
      return `bad time ${String(time)}`;
  }
  if (done !== false) return `done is ${String(done)}`;
  return undefined;
}

interface Attempt {
  readonly content: string;
  readonly ownerId: string;
}

interface LoadOutcome {
  readonly attempted: Map<string, Attempt>;
  readonly acknowledged: Todo[];
  readonly inFlightAtKill: number;
  readonly statuses: Map<string, number>;
}

/**
 * Runs WRITERS concurrent writers that create todos with unique contents until the server is
 * killed (SIGKILL) after LOAD_MS, and records every create the server acknowledged.
 */
async function loadUntilKilled(
  server: ServerProcess,
  mcpUrl: string,
  tokens: readonly string[],
  label: string,
): Promise<LoadOutcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
  const attempted = new Map<string, Attempt>();
  const acknowledged: Todo[] = [];
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  let inFlight = 0;
  let isKilled = false;

  const writer = async (index: number) => {
    const ownerId = `writer-${index}`;
    for (let n = 0; n < MAX_CREATES_PER_WRITER && !isKilled; n += 1) {
      const content = `${label} ${ownerId} #${n} ${randomUUID()}`;
      attempted.set(content, { content, ownerId });
      inFlight += 1;
      try {
        const reply = await callTool(mcpUrl, agent, tokens[index] ?? '', 'create-todo', { content });
        count(String(reply.status));
        const value = toolValue(reply);
        if (value !== undefined && typeof value.id === 'string') acknowledged.push(value as unknown as Todo);
      } catch (error) {
        count((error as { code?: string }).code ?? 'error');
        if (!isKilled) throw error;
      } finally {
        inFlight -= 1;
      }
    }
  };

  const writers = Array.from({ length: WRITERS }, (_, i) => writer(i));
  const started = Date.now();
  // Bounded: at most 20 s for the first acknowledgements to arrive.
  while (Date.now() - started < 20_000) {
    if (Date.now() - started >= LOAD_MS && acknowledged.length >= MIN_ACKNOWLEDGED) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const inFlightAtKill = inFlight;
  const killed = server.stop('SIGKILL');
  isKilled = true;
  assert.equal(await killed, 'SIGKILL');
  await Promise.all(writers);
  agent.destroy();
  return { attempted, acknowledged, inFlightAtKill, statuses };
}

/** Every todo, read by a read:todos token page by page (bounded by the number attempted). */
async function listEverything(mcpUrl: string, token: string, maxPages: number): Promise<unknown[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const rows: unknown[] = [];
  let cursor: string | undefined;
  try {
    for (let page = 0; page < maxPages; page += 1) {
      const args = { limit: 200, ...(cursor !== undefined && { cursor }) };
      const reply = await callTool(mcpUrl, agent, token, 'get-todos', args);
      const value = toolValue(reply);
      assert.ok(value, `listing failed: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
      rows.push(...(value.todos as unknown[]));
      cursor = value.nextCursor as string | undefined;
      if (cursor === undefined) return rows;
    }
  } finally {
    agent.destroy();
  }
  assert.fail(`more than ${maxPages} pages`);
}

interface TableRow {
  readonly id: string;
  readonly owner_id: string;
  readonly content: string;
}

interface Backend {
  readonly databaseUrl: string;
  /** Every row of the todos table, read straight from the database, ordered by id. */
  readRows(): Promise<TableRow[]>;
  /** Backend-specific integrity checks after the server has stopped. */
  checkIntegrity?(): Promise<void>;
  dispose(): Promise<void>;
}

const ROWS_SQL = 'SELECT id, owner_id, content FROM todos ORDER BY id';

const mcpUrlOf = (server: ServerProcess) => `http://127.0.0.1:${server.port}/mcp`;

async function runCrashScenario(t: TestContext, backend: Backend, issuer: TestIssuer): Promise<void> {
  // Each start binds a port of its own; the public URL (and so the tokens' audience) stays.
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://localhost',
    AUTH_ISSUER: issuer.issuer,
    DATABASE_URL: backend.databaseUrl,
    // Limits would only turn writes away; this test is about what happens to accepted ones.
    RATE_LIMIT_PER_MINUTE: '0',
  };
  issuer.audience = 'http://localhost/mcp';
  const tokens = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      issuer.sign({ claims: { sub: `writer-${i}`, client_id: `writer-client-${i}`, scope: 'create:todos' } }),
    ),
  );
  const auditor = await issuer.sign({
    claims: { sub: 'auditor', client_id: 'audit-client', scope: 'read:todos' },
  });

  const first = await startServerProcess(env);
  let second: ServerProcess | undefined;
  try {
    const load = await loadUntilKilled(first, mcpUrlOf(first), tokens, randomUUID().slice(0, 8));
    t.diagnostic(
      `${load.attempted.size} creates sent, ${load.acknowledged.length} acknowledged, ` +
        `${load.inFlightAtKill} in flight at SIGKILL; outcomes ${JSON.stringify(Object.fromEntries(load.statuses))}`,
    );
    assert.ok(
      load.acknowledged.length >= MIN_ACKNOWLEDGED,
      'enough creates were acknowledged before the kill',
    );
    assert.ok(load.inFlightAtKill > 0, 'requests were in flight when the server was killed');

    second = await startServerProcess(env);
    const mcpUrl = mcpUrlOf(second);
    const rows = await listEverything(mcpUrl, auditor, Math.ceil(load.attempted.size / 200) + 2);

    const problems: string[] = [];
    const stored = new Map<string, Todo>();
    for (const row of rows) {
      const problem = rowProblem(row);
      if (problem !== undefined) {
        problems.push(`${problem}: ${JSON.stringify(row).slice(0, 200)}`);
        continue;
      }
      const todo = row as Todo;
      if (stored.has(todo.id)) problems.push(`${todo.id} listed twice`);
      stored.set(todo.id, todo);
      const attempt = load.attempted.get(todo.content);
      if (attempt === undefined) problems.push(`${todo.id} holds content no writer sent`);
      else if (attempt.ownerId !== todo.ownerId) problems.push(`${todo.id} belongs to the wrong owner`);
    }
    for (const todo of load.acknowledged) {
      const found = stored.get(todo.id);
      if (found === undefined) problems.push(`acknowledged ${todo.id} is lost`);
      else if (JSON.stringify(found) !== JSON.stringify(todo))
        problems.push(`acknowledged ${todo.id} changed: ${JSON.stringify(todo)} → ${JSON.stringify(found)}`);
    }
    const contents = new Set([...stored.values()].map((todo) => todo.content));
    if (contents.size !== stored.size) problems.push('some content is stored twice');
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems, the first 20 shown`);
    t.diagnostic(
      `after restart: ${stored.size} todos (${stored.size - load.acknowledged.length} unacknowledged ones landed)`,
    );

    assert.equal(await second.stop('SIGTERM'), 0, 'the restarted server stops cleanly');
    second = undefined;
    // The tools showed exactly what the table holds: no row the store could not read was skipped.
    const listed = [...stored.values()]
      .map((todo) => ({ id: todo.id, owner_id: todo.ownerId, content: todo.content }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const table = [...(await backend.readRows())].sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(table, listed);
    await backend.checkIntegrity?.();
  } finally {
    await first.stop('SIGKILL');
    await second?.stop('SIGKILL');
  }
}

describe('crash safety: SIGKILL during concurrent creates', () => {
  let issuer: TestIssuer | undefined;
  after(async () => {
    await issuer?.close();
  });

  test('SQLite: every acknowledged todo survives SIGKILL whole, and nothing is half-written', async (t) => {
    issuer ??= await startTestIssuer();
    const dir = await mkdtemp(join(tmpdir(), 'todo-manager-crash-'));
    const file = join(dir, 'todos.db');
    const open = () => new Database(file, { readonly: true, fileMustExist: true });
    const backend: Backend = {
      databaseUrl: file,
      async readRows() {
        const db = open();
        try {
          return db.prepare(ROWS_SQL).all() as TableRow[];
        } finally {
          db.close();
        }
      },
      async checkIntegrity() {
        const db = open();
        try {
          assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
        } finally {
          db.close();
        }
      },
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
    try {
      await runCrashScenario(t, backend, issuer);
    } finally {
      await backend.dispose();
    }
  });

  test('PostgreSQL: every acknowledged todo survives SIGKILL whole, and nothing is half-written', async (t) => {
    issuer ??= await startTestIssuer();
    const database: TestDatabase = await freshSchema();
    const backend: Backend = {
      databaseUrl: database.url,
      readRows: () => admin(async (client) => (await client.query<TableRow>(ROWS_SQL)).rows, database.url),
      dispose: () => database.dispose(),
    };
    try {
      await runCrashScenario(t, backend, issuer);
    } finally {
      await backend.dispose();
    }
  });
});
