/**
 * Hostile inputs for `POST /mcp`, generated from a seed. Case `i` depends only on the seed and
 * `i`, so a run is reproducible whatever order concurrent workers take the cases in.
 */

/** A deterministic pseudo-random source (mulberry32); not for anything that needs secrecy. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as T;
    },
    chance: (probability) => next() < probability,
  };
}

/** Mixes a run seed and a case index into the seed of that case (a splitmix32 step). */
function caseSeed(seed: number, index: number): number {
  let z = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export const FUZZ_KINDS = [
  'valid-call',
  'malformed-json',
  'wrong-types',
  'deep-nesting',
  'huge-string',
  'odd-unicode',
  'unknown-method',
  'batch',
  'jsonrpc-version',
  'giant-id',
  'prototype-keys',
  'headers',
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

/** Relative weights: every kind appears in any run of a few hundred cases. */
const WEIGHTS: Readonly<Record<FuzzKind, number>> = {
  'valid-call': 10,
  'malformed-json': 10,
  'wrong-types': 15,
  'deep-nesting': 5,
  'huge-string': 3,
  'odd-unicode': 12,
  'unknown-method': 8,
  batch: 7,
  'jsonrpc-version': 5,
  'giant-id': 5,
  'prototype-keys': 8,
  headers: 12,
};

export interface FuzzContext {
  /** The `Authorization` header value every case carries, so input reaches past the bearer gate. */
  readonly authorization: string;
  /** A todo of the fuzzing subject that `update-todo` cases aim at; no case deletes it. */
  readonly anchorId: string;
  /** The request body limit of the endpoint, for cases just under and just over it. */
  readonly maxBodyBytes: number;
}

export interface FuzzCase {
  readonly index: number;
  readonly kind: FuzzKind;
  readonly headers: Record<string, string | string[]>;
  readonly body: string | Buffer;
}

export const TOOL_NAMES = [
  'create-todo',
  'get-todos',
  'update-todo',
  'delete-todo',
  'whoami',
  'get-audit-events',
] as const;
const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

/** Characters and fragments that trip naive text handling. */
const ODD_PIECES = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '\u202e',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\uffff',
  '\ufffe',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u00a0',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '𝕏',
  '\u{10ffff}',
  '\u{e0001}',
  'e\u0301',
  'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a',
  '\t',
  '\r\n',
  '\\',
  '"',
  "'",
  '%',
  '_',
  '*',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '"; DROP TABLE todos; --',
  '$' + '{constructor}',
  '{{7*7}}',
  'plain text',
  ' ',
] as const;

/** A JSON value of each type, for putting the wrong one in a field. */
const ANY_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  'x',
  '2.0',
  'tools/call',
  [],
  [1, 'a'],
  {},
  { a: 1 },
  { content: 'nested' },
];

type Json = Record<string, unknown>;

function oddString(rng: Rng, maxPieces = 8): string {
  const parts: string[] = [];
  const count = 1 + rng.int(maxPieces);
  for (let i = 0; i < count; i += 1) parts.push(rng.pick(ODD_PIECES));
  return parts.join('');
}

/** Text around the 10,000 code point content limit, and past the 40,000 raw input cap. */
function boundaryContent(rng: Rng): string {
  switch (rng.int(8)) {
    case 0:
      return 'a'.repeat(10_000);
    case 1:
      return 'a'.repeat(10_001);
    case 2:
      return '😀'.repeat(10_000);
    case 3:
      return '😀'.repeat(10_001);
    case 4:
      return `   ${'b'.repeat(10_000)}   `;
    case 5:
      return 'e\u0301'.repeat(5_001);
    case 6:
      return ' \t\n '.repeat(rng.int(50));
    default:
      return 'c'.repeat(40_001);
  }
}

function randomId(rng: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  for (let i = 0; i < 22; i += 1) id += alphabet[rng.int(alphabet.length)];
  return id;
}

function toolArguments(rng: Rng, name: string, ctx: FuzzContext): Json {
  const text = () => (rng.chance(0.15) ? boundaryContent(rng) : oddString(rng));
  switch (name) {
    case 'create-todo':
      return {
        content: text(),
        ...(rng.chance(0.2) && { ownerId: 'victim', id: randomId(rng), done: true }),
      };
    case 'get-todos':
      return {
        ...(rng.chance(0.5) && { limit: rng.pick([1, 50, 200, 0, -1, 201, 1.5, 2 ** 53]) }),
        ...(rng.chance(0.3) && { cursor: rng.chance(0.5) ? randomId(rng) : oddString(rng) }),
        ...(rng.chance(0.3) && { done: rng.chance(0.5) }),
        ...(rng.chance(0.4) && {
          query: rng.chance(0.25) ? `${oddString(rng, 2)}\u0000` : oddString(rng, 4),
        }),
        ...(rng.chance(0.3) && {
          ownerId: rng.pick(['victim', 'victim\u0000', '\ud800', oddString(rng, 3)]),
        }),
      };
    case 'update-todo':
      return {
        id: rng.chance(0.7) ? ctx.anchorId : oddString(rng, 3),
        ...(rng.chance(0.8) && { content: text() }),
        ...(rng.chance(0.5) && { done: rng.chance(0.5) }),
      };
    case 'delete-todo':
      // Never the anchor: the run checks afterwards that it is still there.
      return { id: rng.chance(0.5) ? randomId(rng) : oddString(rng, 3) };
    default:
      return rng.chance(0.8) ? {} : { extra: oddString(rng, 2) };
  }
}

interface Message {
  readonly message: Json;
  readonly headers: Record<string, string | string[]>;
}

/** A well-formed tools/call of one of our tools, in either protocol era, with its headers. */
function toolCall(rng: Rng, ctx: FuzzContext, name = rng.pick(TOOL_NAMES)): Message {
  const isModern = rng.chance(0.35);
  const args = toolArguments(rng, name, ctx);
  const params: Json = { name, arguments: args };
  if (isModern) params._meta = { [META_VERSION]: MODERN, [META_CAPABILITIES]: {} };
  return {
    message: { jsonrpc: '2.0', id: 1 + rng.int(1_000_000), method: 'tools/call', params },
    headers: isModern
      ? { ...baseHeaders(ctx, MODERN), 'mcp-method': 'tools/call', 'mcp-name': name }
      : baseHeaders(ctx, LEGACY),
  };
}

function baseHeaders(ctx: FuzzContext, version: string): Record<string, string> {
  return {
    authorization: ctx.authorization,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': version,
  };
}

/** Replaces (or removes) the value at a path of a message object, copying along the way. */
function setPath(value: Json, path: readonly string[], replacement: unknown, remove: boolean): Json {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const copy: Json = { ...value };
  if (rest.length === 0) {
    if (remove) delete copy[head];
    else copy[head] = replacement;
    return copy;
  }
  const child = copy[head];
  copy[head] = setPath(
    typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Json) : {},
    rest,
    replacement,
    remove,
  );
  return copy;
}

function wrongTypes(rng: Rng, ctx: FuzzContext): Message {
  const call = toolCall(rng, ctx);
  const params = call.message.params as Json;
  const args = Object.keys(params.arguments as Json).map((key) => ['params', 'arguments', key]);
  const paths: string[][] = [
    ['jsonrpc'],
    ['id'],
    ['method'],
    ['params'],
    ['params', 'name'],
    ['params', 'arguments'],
    ['params', '_meta'],
    ['params', '_meta', META_VERSION],
    ['params', '_meta', META_CAPABILITIES],
    ...args,
    ...args,
  ];
  let message = call.message;
  const changes = 1 + rng.int(3);
  for (let i = 0; i < changes; i += 1) {
    message = setPath(message, rng.pick(paths), rng.pick(ANY_VALUES), rng.chance(0.15));
  }
  return { message, headers: call.headers };
}

function nested(depth: number, isArray: boolean, leaf = '1'): string {
  return isArray
    ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

function deepNesting(rng: Rng, ctx: FuzzContext): { body: string; headers: Record<string, string> } {
  const depth = rng.pick([64, 500, 1_000, 2_000, 3_000, 5_000, 10_000]);
  const deep = nested(depth, rng.chance(0.5));
  const name = rng.pick(TOOL_NAMES);
  const headers = baseHeaders(ctx, LEGACY);
  const call = (params: string) => `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":${params}}`;
  const bodies = [
    deep,
    `[${deep}]`,
    `{"jsonrpc":"2.0","id":${deep},"method":"tools/list"}`,
    `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":${deep}}}`,
    `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"${LEGACY}","capabilities":${deep},"clientInfo":{"name":"fuzz","version":"1"}}}`,
    call(deep),
    call(`{"name":"${name}","arguments":${deep}}`),
    call(`{"name":"${name}","arguments":{"content":${deep},"id":${deep}}}`),
    call(`{"name":"${name}","arguments":{},"_meta":${deep}}`),
    `{"jsonrpc":"2.0","method":"notifications/progress","params":${deep}}`,
  ];
  return { body: rng.pick(bodies), headers };
}

function hugeString(rng: Rng, ctx: FuzzContext): { body: string; headers: Record<string, string> } {
  const call = toolCall(rng, ctx, rng.pick(['create-todo', 'get-todos', 'update-todo']));
  const headers = call.headers as Record<string, string>;
  const skeleton = JSON.stringify({ ...call.message, params: { name: 'create-todo', arguments: {} } });
  // Room for the string inside the limit, or a little more than the limit.
  const room = ctx.maxBodyBytes - skeleton.length - 64;
  const length = rng.pick([10_000, 10_001, 40_001, 100_000, 500_000, room, room + 1_000]);
  const filler = rng.pick(['x', 'é', '😀', '\u0301', ' ']);
  const huge = filler.repeat(Math.max(1, Math.floor(length / filler.length)));
  const target = rng.pick(['content', 'query', 'cursor', 'ownerId', 'id', 'method', 'name', 'header']);
  if (target === 'header') {
    // Past Node's 16 KiB header limit: the server answers 431 before reading anything.
    return { body: JSON.stringify(call.message), headers: { ...headers, 'x-fuzz': 'h'.repeat(20_000) } };
  }
  if (target === 'method') {
    return { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: huge }), headers };
  }
  if (target === 'name') {
    return {
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: huge } }),
      headers,
    };
  }
  const params = call.message.params as Json;
  const message = {
    ...call.message,
    params: { ...params, arguments: { ...(params.arguments as Json), [target]: huge } },
  };
  return { body: JSON.stringify(message), headers };
}

/** Raw bytes that are not UTF-8: lone surrogate encodings, overlong NUL, stray continuation bytes. */
const BAD_UTF8 = [[0xed, 0xa0, 0x80], [0xc0, 0x80], [0xff], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];

function oddUnicode(rng: Rng, ctx: FuzzContext): { body: string | Buffer; headers: Record<string, string> } {
  const call = toolCall(rng, ctx);
  const headers = call.headers as Record<string, string>;
  if (rng.chance(0.3)) {
    // Invalid UTF-8 inside a string value, where the server decodes the body.
    const marker = 'FUZZ_BYTES';
    const params = call.message.params as Json;
    const args = { ...(params.arguments as Json) };
    const key = rng.pick(Object.keys(args).length > 0 ? Object.keys(args) : ['content']);
    args[key] = `a${marker}b`;
    const text = JSON.stringify({ ...call.message, params: { ...params, arguments: args } });
    const [before = '', after = ''] = text.split(marker);
    return {
      body: Buffer.concat([Buffer.from(before), Buffer.from(rng.pick(BAD_UTF8)), Buffer.from(after)]),
      headers,
    };
  }
  if (rng.chance(0.2)) {
    // Odd characters in the names the server routes on.
    const message = rng.chance(0.5)
      ? { ...call.message, method: `tools/call${oddString(rng, 2)}` }
      : {
          ...call.message,
          params: { ...(call.message.params as Json), name: `${rng.pick(TOOL_NAMES)}${oddString(rng, 2)}` },
        };
    return { body: JSON.stringify(message), headers };
  }
  if (rng.chance(0.1)) return { body: `\ufeff${JSON.stringify(call.message)}`, headers };
  // The usual case: a well-formed call whose text arguments are full of odd characters.
  return { body: JSON.stringify(call.message), headers };
}

const UNKNOWN_METHODS = [
  'tools/calls',
  'Tools/Call',
  'tools/call ',
  'tools/list/extra',
  'rpc.discover',
  'resources/list',
  'resources/read',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'sampling/createMessage',
  'tasks/get',
  'subscriptions/listen',
  'server/discover',
  'ping',
  'initialize',
  'notifications/initialized',
  'notifications/cancelled',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '',
  '/',
  '../../etc/passwd',
];

function unknownMethod(rng: Rng, ctx: FuzzContext): Message {
  const method = rng.chance(0.8) ? rng.pick(UNKNOWN_METHODS) : oddString(rng, 4);
  const params = rng.pick<unknown>([
    undefined,
    {},
    { name: 'whoami' },
    { cursor: 'x' },
    rng.pick(ANY_VALUES),
  ]);
  const message: Json = { jsonrpc: '2.0', method };
  if (rng.chance(0.8)) message.id = 1 + rng.int(1000);
  if (params !== undefined) message.params = params;
  const version = rng.pick([LEGACY, MODERN, '2025-06-18', '2025-03-26']);
  const headers: Record<string, string> = baseHeaders(ctx, version);
  if (version === MODERN) {
    headers['mcp-method'] = method.replace(/[^\t\x20-\x7e]/g, '?');
    message.params = {
      ...(typeof params === 'object' && params !== null ? params : {}),
      _meta: { [META_VERSION]: MODERN, [META_CAPABILITIES]: {} },
    };
  }
  return { message, headers };
}

function batch(rng: Rng, ctx: FuzzContext): { body: string; headers: Record<string, string | string[]> } {
  const headers = baseHeaders(ctx, LEGACY);
  const shape = rng.int(6);
  if (shape === 0) return { body: '[]', headers };
  if (shape === 1) {
    const many = Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }));
    return { body: JSON.stringify(many), headers };
  }
  if (shape === 2) return { body: JSON.stringify([[{ jsonrpc: '2.0', id: 1, method: 'ping' }]]), headers };
  if (shape === 3) return { body: JSON.stringify([1, 'two', null, true, {}]), headers };
  const items: unknown[] = [];
  const count = 1 + rng.int(5);
  for (let i = 0; i < count; i += 1) {
    const choice = rng.int(4);
    if (choice === 0) items.push(toolCall(rng, ctx).message);
    else if (choice === 1) items.push(wrongTypes(rng, ctx).message);
    else if (choice === 2) items.push(unknownMethod(rng, ctx).message);
    else items.push({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: i } });
  }
  return { body: JSON.stringify(items), headers };
}

function jsonrpcVersion(rng: Rng, ctx: FuzzContext): Message {
  const call = toolCall(rng, ctx);
  const version = rng.pick<unknown>([
    '1.0',
    '2',
    2,
    '2.0 ',
    ' 2.0',
    '3.0',
    null,
    {},
    [],
    'JSONRPC/2.0',
    undefined,
  ]);
  const message = { ...call.message };
  if (version === undefined) delete message.jsonrpc;
  else message.jsonrpc = version;
  return { message, headers: call.headers };
}

/** Ids written as raw JSON text, so that literals JSON.stringify cannot produce (1e400) are sent. */
const GIANT_IDS = [
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '9007199254740993',
  '123456789012345678901234567890123456789',
  '-0',
  '0.1',
  '1.0',
  'null',
  'true',
  '{}',
  '[]',
  '[1]',
  '""',
];

function giantId(rng: Rng, ctx: FuzzContext): { body: string; headers: Record<string, string | string[]> } {
  const call = toolCall(rng, ctx);
  const text = JSON.stringify({ ...call.message, id: 'ID_SLOT' });
  const id = rng.chance(0.2) ? JSON.stringify('i'.repeat(rng.pick([1_000, 100_000]))) : rng.pick(GIANT_IDS);
  return { body: text.replace('"ID_SLOT"', id), headers: call.headers };
}

/** Keys that reach `Object.prototype` in code that merges objects carelessly; written as raw text. */
const POLLUTERS = [
  '"__proto__":{"polluted":"yes","isAdmin":true,"scopes":["read:todos","delete:todos"]}',
  '"constructor":{"prototype":{"polluted":"yes"}}',
  '"__proto__":{"ownerId":"victim","content":"from the prototype"}',
  '"__proto__":null',
  '"prototype":{"polluted":"yes"}',
];

function prototypeKeys(
  rng: Rng,
  ctx: FuzzContext,
): { body: string; headers: Record<string, string | string[]> } {
  const call = toolCall(rng, ctx);
  const text = JSON.stringify(call.message);
  const polluter = rng.pick(POLLUTERS);
  // Insert the key at the start of one of the objects: the message, params, arguments or _meta.
  const anchors = ['{"jsonrpc"', '"params":{', '"arguments":{', `"_meta":{`];
  const present = anchors.filter((anchor) => text.includes(anchor));
  const anchor = rng.pick(present);
  const at = text.indexOf(anchor) + (anchor.startsWith('{') ? 1 : anchor.length);
  const rest = text.slice(at);
  const separator = rest.startsWith('}') ? '' : ',';
  return { body: `${text.slice(0, at)}${polluter}${separator}${rest}`, headers: call.headers };
}

/** Header values Node's client accepts: visible ASCII, space, tab and Latin-1. */
function headerGarbage(rng: Rng, maxLength = 40): string {
  const length = rng.int(maxLength + 1);
  let value = '';
  for (let i = 0; i < length; i += 1) {
    const code = rng.chance(0.9) ? 0x20 + rng.int(0x5f) : 0x80 + rng.int(0x80);
    value += String.fromCharCode(code);
  }
  return value.trim();
}

const CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=latin1',
  'application/json;charset=utf-16',
  'application/json-seq',
  'application/jsonx',
  'APPLICATION/JSON',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json, text/plain',
  'text/event-stream',
  '*/*',
  '',
];

const ACCEPTS = [
  'application/json',
  'text/event-stream',
  '*/*',
  'text/html',
  '',
  'application/json;q=0, text/event-stream;q=0',
];

function headerChaos(
  rng: Rng,
  ctx: FuzzContext,
): { body: string; headers: Record<string, string | string[]> } {
  const call = toolCall(rng, ctx);
  const headers: Record<string, string | string[]> = { ...call.headers };
  const changes = 1 + rng.int(3);
  for (let i = 0; i < changes; i += 1) {
    switch (rng.int(10)) {
      case 0:
        headers['mcp-protocol-version'] = rng.pick([
          headerGarbage(rng),
          '',
          '2024-11-05',
          '2026-07-28',
          '2025-11-25',
          '9999-99-99',
          'h'.repeat(4_000),
        ]);
        break;
      case 1:
        headers['mcp-protocol-version'] = [LEGACY, MODERN];
        break;
      case 2:
        headers['mcp-method'] = rng.pick(['tools/list', 'initialize', headerGarbage(rng), '']);
        headers['mcp-name'] = rng.pick([...TOOL_NAMES, headerGarbage(rng), '']);
        break;
      case 3:
        headers['content-type'] = rng.pick(CONTENT_TYPES);
        break;
      case 4:
        headers.accept = rng.pick(ACCEPTS);
        break;
      case 5:
        headers['content-encoding'] = rng.pick(['gzip', 'br', 'deflate', 'identity', headerGarbage(rng)]);
        break;
      case 6:
        headers['mcp-session-id'] = headerGarbage(rng);
        headers['last-event-id'] = headerGarbage(rng);
        break;
      case 7:
        headers['x-request-id'] = headerGarbage(rng, 100);
        break;
      case 8:
        headers[`x-${headerGarbage(rng, 8).replace(/[^a-z0-9-]/gi, '') || 'fuzz'}`] = headerGarbage(rng);
        break;
      default:
        headers['mcp-protocol-version'] = MODERN;
        headers['mcp-method'] = 'tools/call';
        headers['mcp-name'] = rng.pick(TOOL_NAMES);
        break;
    }
  }
  for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
  return { body: JSON.stringify(call.message), headers };
}

function malformedJson(
  rng: Rng,
  ctx: FuzzContext,
): { body: string | Buffer; headers: Record<string, string | string[]> } {
  const call = toolCall(rng, ctx, 'create-todo');
  const text = JSON.stringify(call.message);
  const variants: (() => string | Buffer)[] = [
    () => text.slice(0, rng.int(text.length)),
    () => `${text}}`,
    () => `${text}\n${text}`,
    () => text.replace(/"/g, "'"),
    () => text.replace(/,/, ',,'),
    () => text.replace('}', ',}'),
    () => `/* comment */${text}`,
    () => text.replace(/"id":\d+/, '"id":NaN'),
    () => text.replace(/"id":\d+/, '"id":Infinity'),
    () => text.replace(/"id":\d+/, '"id":0x10'),
    () => text.replace('"jsonrpc"', 'jsonrpc'),
    () => '',
    () => '   \n\t  ',
    () => 'null',
    () => '"just a string"',
    () => '42',
    () => 'undefined',
    () => '{',
    () => '[',
    () => Buffer.from(Array.from({ length: 1 + rng.int(200) }, () => rng.int(256))),
    () => {
      const chars = [...text];
      for (let i = 0; i < 3; i += 1) chars[rng.int(chars.length)] = String.fromCharCode(rng.int(128));
      return chars.join('');
    },
  ];
  return { body: rng.pick(variants)(), headers: call.headers };
}

function pickKind(rng: Rng): FuzzKind {
  const total = FUZZ_KINDS.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
  let roll = rng.int(total);
  for (const kind of FUZZ_KINDS) {
    roll -= WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return 'valid-call';
}

/** The `index`th case of the run with this seed. */
export function fuzzCase(seed: number, index: number, ctx: FuzzContext): FuzzCase {
  const rng = createRng(caseSeed(seed, index));
  const kind = pickKind(rng);
  const fromMessage = ({ message, headers }: Message) => ({ body: JSON.stringify(message), headers });
  const made = (() => {
    switch (kind) {
      case 'valid-call':
        return fromMessage(toolCall(rng, ctx));
      case 'malformed-json':
        return malformedJson(rng, ctx);
      case 'wrong-types':
        return fromMessage(wrongTypes(rng, ctx));
      case 'deep-nesting':
        return deepNesting(rng, ctx);
      case 'huge-string':
        return hugeString(rng, ctx);
      case 'odd-unicode':
        return oddUnicode(rng, ctx);
      case 'unknown-method':
        return fromMessage(unknownMethod(rng, ctx));
      case 'batch':
        return batch(rng, ctx);
      case 'jsonrpc-version':
        return fromMessage(jsonrpcVersion(rng, ctx));
      case 'giant-id':
        return giantId(rng, ctx);
      case 'prototype-keys':
        return prototypeKeys(rng, ctx);
      case 'headers':
        return headerChaos(rng, ctx);
    }
  })();
  return { index, kind, headers: made.headers, body: made.body };
}
