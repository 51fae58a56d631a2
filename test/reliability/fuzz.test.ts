import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, type TestContext, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MAX_BODY_BYTES } from '../../src/mcp/endpoint/read-message.js';
import type { Todo } from '../../src/todos/todo.js';
import {
  eventData,
  postMcp,
  type RawResult,
  sendRaw,
  toolCallBody,
  toolOutcome,
} from '../support/auth-http.js';
import { FUZZ_KINDS, type FuzzCase, type FuzzKind, fuzzCase, TOOL_NAMES } from '../support/fuzz-inputs.js';
import { freshSchema, type TestDatabase } from '../support/postgres.js';
import type { RunningServer } from '../support/start-server.js';
import type { TestIssuer } from '../support/test-issuer.js';
import { type ServerWithIssuerHandle, useServerWithIssuer } from '../support/use-server.js';

/** The run's seed: fixed so every run sends the same inputs; FUZZ_SEED replays another one. */
const SEED = Number.parseInt(process.env.FUZZ_SEED ?? '5eedf022', 16) >>> 0;
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 15_000;
/** Fuzzing subjects, each its own client too, so that per-subject limits do not swallow the run. */
const SUBJECTS = 4;
const ALL_SCOPES = 'create:todos read:todos delete:todos';
/** Heap growth allowed over the run once warmed up; a leak of a few KiB per request exceeds it. */
const MAX_HEAP_GROWTH = 50 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * One POST over the shared keep-alive agent, with exactly the headers given. It settles on the
 * response; a socket error before any response is what this test calls a reset.
 */
function send(url: string, agent: Agent, fuzz: FuzzCase): Promise<RawResult> {
  const body = typeof fuzz.body === 'string' ? Buffer.from(fuzz.body) : fuzz.body;
  const headers = { ...fuzz.headers, 'content-length': body.length };
  return sendRaw(url, headers, body, { agent, timeoutMs: REQUEST_TIMEOUT_MS });
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every JSON-RPC message of a reply: a JSON object or array, or the data lines of an SSE stream. */
function messagesOf(reply: RawResult): Json[] {
  const texts = reply.contentType.startsWith('text/event-stream') ? eventData(reply.text) : [reply.text];
  const messages: Json[] = [];
  for (const text of texts) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) if (isObject(item)) messages.push(item);
  }
  return messages;
}

function asTodo(value: unknown): Todo | undefined {
  if (!isObject(value)) return undefined;
  const { id, content, ownerId, createdAt, updatedAt, done } = value;
  const isTodo =
    typeof id === 'string' &&
    typeof content === 'string' &&
    typeof ownerId === 'string' &&
    typeof createdAt === 'string' &&
    typeof updatedAt === 'string' &&
    typeof done === 'boolean';
  return isTodo ? (value as unknown as Todo) : undefined;
}

/** Why stored content breaks the contract's rules, or `undefined` when it keeps them. */
function contentProblem(content: string): string | undefined {
  if (content.length === 0) return 'empty';
  if (content !== content.trim()) return 'not trimmed';
  if (content.includes('\u0000')) return 'contains NUL';
  if (/\p{Cs}/u.test(content)) return 'contains a lone surrogate';
  if ([...content].length > 10_000) return `has ${[...content].length} code points`;
  return undefined;
}

/** What the run saw: outcomes by kind, acknowledged writes, and every broken rule. */
interface Observations {
  readonly statuses: Map<number, number>;
  readonly kinds: Map<FuzzKind, number>;
  readonly toolErrors: Map<string, number>;
  readonly rpcErrors: Map<number, number>;
  /** Todos that create-todo acknowledged, by id. */
  readonly created: Map<string, Todo>;
  /** Every content the anchor todo was acknowledged to have. */
  readonly anchorContents: Set<string>;
  readonly failures: string[];
}

function describeCase(fuzz: FuzzCase): string {
  const body = typeof fuzz.body === 'string' ? fuzz.body : fuzz.body.toString('latin1');
  const preview = body.length > 160 ? `${body.slice(0, 160)}… (${body.length} chars)` : body;
  const headers = Object.entries(fuzz.headers)
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${String(value).slice(0, 60)}`)
    .join('; ');
  return `case #${fuzz.index} (${fuzz.kind}) headers {${headers}} body ${JSON.stringify(preview)}`;
}

function observe(fuzz: FuzzCase, reply: RawResult, anchorId: string, seen: Observations): void {
  const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  count(seen.statuses, reply.status);
  if (reply.status >= 500 || reply.status < 200) {
    seen.failures.push(`${describeCase(fuzz)} → HTTP ${reply.status}: ${reply.text.slice(0, 200)}`);
  }
  for (const message of messagesOf(reply)) {
    const { error, result } = message;
    if (isObject(error) && typeof error.code === 'number') count(seen.rpcErrors, error.code);
    if (!isObject(result)) continue;
    const structured = result.structuredContent;
    if (result.isError === true) {
      const code = isObject(structured) && isObject(structured.error) ? String(structured.error.code) : '?';
      count(seen.toolErrors, code);
      if (code === 'internal_error') seen.failures.push(`${describeCase(fuzz)} → tool internal_error`);
      continue;
    }
    const todo = asTodo(structured);
    if (todo === undefined) continue;
    if (todo.id === anchorId) seen.anchorContents.add(todo.content);
    else seen.created.set(todo.id, todo);
    const problem = contentProblem(todo.content);
    if (problem) seen.failures.push(`${describeCase(fuzz)} → acknowledged content that ${problem}`);
  }
}

interface FuzzTarget {
  readonly issuer: TestIssuer;
  readonly server: RunningServer;
  readonly tokens: readonly string[];
  readonly adminToken: string;
  readonly anchor: Todo;
}

/** Tokens for the fuzzing subjects and an auditor, and the anchor todo the fuzz may try to update. */
async function prepareTarget({ issuer, server }: ServerWithIssuerHandle): Promise<FuzzTarget> {
  const tokens = await Promise.all(
    Array.from({ length: SUBJECTS }, (_, i) =>
      issuer.sign({
        claims: { sub: `fuzzer-${i}`, client_id: `fuzz-client-${i}`, scope: ALL_SCOPES, exp: nowPlus(600) },
      }),
    ),
  );
  const adminToken = await issuer.sign({
    claims: { sub: 'auditor', client_id: 'audit-client', scope: 'read:todos', exp: nowPlus(600) },
  });
  const created = toolOutcome(
    await postMcp(server.mcpUrl, {
      token: tokens[0] ?? '',
      body: toolCallBody('create-todo', { content: 'the anchor todo' }),
    }),
  );
  const anchor = asTodo(created.value);
  assert.ok(anchor, 'the anchor todo was created');
  return { issuer, server, tokens, adminToken, anchor };
}

function nowPlus(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}

/** Every todo in the store, read by a read:todos token page by page (bounded). */
async function listEverything(target: FuzzTarget, maxPages: number): Promise<Todo[]> {
  const todos: Todo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const args = { limit: 200, ...(cursor !== undefined && { cursor }) };
    const listed = toolOutcome(
      await postMcp(target.server.mcpUrl, {
        token: target.adminToken,
        body: toolCallBody('get-todos', args),
      }),
    );
    assert.equal(listed.isError, false, `listing failed: ${JSON.stringify(listed.value)}`);
    for (const item of listed.value.todos as unknown[]) {
      const todo = asTodo(item);
      assert.ok(todo, `a listed todo has every field: ${JSON.stringify(item)}`);
      todos.push(todo);
    }
    cursor = listed.value.nextCursor as string | undefined;
    if (cursor === undefined) return todos;
  }
  assert.fail(`more than ${maxPages} pages of todos`);
}

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const summary = <K>(map: Map<K, number>) =>
  [...map.entries()]
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
    .map(([key, value]) => `${String(key)}=${value}`)
    .join(' ');

/**
 * Sends cases [0, total) with CONCURRENCY workers in three phases (warm-up, first half, second
 * half), measuring the heap after a full collection between phases.
 */
async function runFuzz(t: TestContext, target: FuzzTarget, total: number): Promise<Observations> {
  const seen: Observations = {
    statuses: new Map(),
    kinds: new Map(),
    toolErrors: new Map(),
    rpcErrors: new Map(),
    created: new Map(),
    anchorContents: new Set([target.anchor.content]),
    failures: [],
  };
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const prototypesBefore = prototypeKeys();
  const started = performance.now();

  const runPhase = async (from: number, to: number) => {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const index = next;
        next += 1;
        const subject = index % SUBJECTS;
        const fuzz = fuzzCase(SEED, index, {
          authorization: `Bearer ${target.tokens[subject] ?? ''}`,
          anchorId: target.anchor.id,
          maxBodyBytes: MAX_BODY_BYTES,
        });
        seen.kinds.set(fuzz.kind, (seen.kinds.get(fuzz.kind) ?? 0) + 1);
        try {
          observe(fuzz, await send(target.server.mcpUrl, agent, fuzz), target.anchor.id, seen);
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error as Error).message;
          seen.failures.push(`${describeCase(fuzz)} → connection error ${code}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };

  const warm = Math.floor(total / 10);
  const middle = Math.floor((warm + total) / 2);
  await runPhase(0, warm);
  const heapAtWarm = heapUsed();
  await runPhase(warm, middle);
  const heapAtMiddle = heapUsed();
  await runPhase(middle, total);
  const heapAtEnd = heapUsed();
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;

  t.diagnostic(
    `seed ${SEED.toString(16)} (FUZZ_SEED=<hex> replays another), ${total} cases in ${seconds.toFixed(1)} s`,
  );
  t.diagnostic(`kinds: ${summary(seen.kinds)}`);
  t.diagnostic(`HTTP statuses: ${summary(seen.statuses)}`);
  t.diagnostic(`tool errors: ${summary(seen.toolErrors)}; JSON-RPC errors: ${summary(seen.rpcErrors)}`);
  t.diagnostic(`acknowledged creates: ${seen.created.size}, anchor updates: ${seen.anchorContents.size - 1}`);
  t.diagnostic(
    `heap after GC: warm ${mib(heapAtWarm)}, middle ${mib(heapAtMiddle)}, end ${mib(heapAtEnd)}; rss ${mib(process.memoryUsage().rss)}`,
  );

  assert.deepEqual(seen.failures.slice(0, 20), [], `${seen.failures.length} failures, the first 20 shown`);
  assert.equal(seen.kinds.size, FUZZ_KINDS.length, 'every kind of input was sent');
  assert.ok(
    heapAtEnd - heapAtWarm < MAX_HEAP_GROWTH,
    `the heap grew by ${mib(heapAtEnd - heapAtWarm)} over the run`,
  );
  assert.deepEqual(prototypeKeys(), prototypesBefore, 'no built-in prototype gained a property');
  assert.equal(({} as Json).polluted, undefined);
  return seen;
}

function prototypeKeys(): Record<string, string[]> {
  return {
    object: Object.getOwnPropertyNames(Object.prototype).sort(),
    array: Object.getOwnPropertyNames(Array.prototype).sort(),
    function: Object.getOwnPropertyNames(Function.prototype).sort(),
  };
}

/** After the run: the store holds exactly what was acknowledged, and the server still works. */
async function checkAftermath(target: FuzzTarget, seen: Observations): Promise<void> {
  const stored = await listEverything(target, Math.ceil(seen.created.size / 200) + 5);
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const todo of stored) {
    if (ids.has(todo.id)) problems.push(`${todo.id} listed twice`);
    ids.add(todo.id);
    const problem = contentProblem(todo.content);
    if (problem) problems.push(`${todo.id} is stored with content that ${problem}`);
    if (todo.id === target.anchor.id) {
      if (!seen.anchorContents.has(todo.content))
        problems.push(
          `the anchor holds content no update was acknowledged with: ${JSON.stringify(todo.content)}`,
        );
      continue;
    }
    const acknowledged = seen.created.get(todo.id);
    if (acknowledged === undefined) {
      problems.push(
        `${todo.id} exists but no create was acknowledged: ${JSON.stringify(todo).slice(0, 200)}`,
      );
    } else if (acknowledged.content !== todo.content || acknowledged.ownerId !== todo.ownerId) {
      problems.push(
        `${todo.id} was acknowledged as ${JSON.stringify(acknowledged.content).slice(0, 80)} for ${acknowledged.ownerId}, stored as ${JSON.stringify(todo.content).slice(0, 80)} for ${todo.ownerId}`,
      );
    }
    if (!/^fuzzer-\d$/.test(todo.ownerId)) problems.push(`${todo.id} is owned by ${todo.ownerId}`);
  }
  for (const id of seen.created.keys()) if (!ids.has(id)) problems.push(`acknowledged ${id} is missing`);
  assert.ok(ids.has(target.anchor.id), 'the anchor todo is still there');
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems, the first 20 shown`);

  // The server still answers an everyday call correctly.
  const token = await target.issuer.sign({ claims: { sub: 'after-fuzz', scope: 'create:todos' } });
  const created = toolOutcome(
    await postMcp(target.server.mcpUrl, {
      token,
      body: toolCallBody('create-todo', { content: 'still fine' }),
    }),
  );
  assert.equal(created.isError, false);
  assert.equal(created.value.content, 'still fine');
  assert.equal(created.value.ownerId, 'after-fuzz');
  const listed = toolOutcome(await postMcp(target.server.mcpUrl, { token, body: toolCallBody('get-todos') }));
  assert.deepEqual(
    (listed.value.todos as Todo[]).map((todo) => todo.id),
    [created.value.id],
  );
  const who = toolOutcome(await postMcp(target.server.mcpUrl, { token, body: toolCallBody('whoami') }));
  assert.equal(who.value.subject, 'after-fuzz');

  // Metric labels hold only the real tool names, whatever names the fuzz sent.
  const scraped = await fetch(`${target.server.origin}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  assert.equal(scraped.status, 200);
  const metrics = await scraped.text();
  const labelled = new Set(
    [...metrics.matchAll(/^mcp_tool_calls_total\{[^}]*tool="([^"]*)"/gm)].map((m) => m[1]),
  );
  assert.deepEqual(
    [...labelled].filter((name) => !(TOOL_NAMES as readonly (string | undefined)[]).includes(name)),
    [],
  );
}

/** The fuzzed servers serve metrics to this token, so the aftermath can read their labels. */
const METRICS_TOKEN = 'fuzz-metrics-token-0123456789abcdef012345';

describe('fuzzing POST /mcp on SQLite', () => {
  const ctx = useServerWithIssuer({ METRICS_TOKEN });
  let target: FuzzTarget;
  before(async () => {
    target = await prepareTarget(ctx);
  });

  test('3,000 hostile requests: never a 5xx or a reset, memory flat, nothing stored that was refused', async (t) => {
    const seen = await runFuzz(t, target, 3_000);
    await checkAftermath(target, seen);
  });
});

describe('fuzzing POST /mcp on PostgreSQL', () => {
  let database: TestDatabase;
  const ctx = useServerWithIssuer(async () => {
    database = await freshSchema();
    return { DATABASE_URL: database.url, METRICS_TOKEN };
  });
  let target: FuzzTarget;
  before(async () => {
    target = await prepareTarget(ctx);
  });
  after(async () => {
    await database?.dispose();
  });

  test('1,000 hostile requests: the same rules hold where text goes through PostgreSQL', async (t) => {
    const seen = await runFuzz(t, target, 1_000);
    await checkAftermath(target, seen);
  });
});
