import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { MAX_BODY_BYTES } from '../../src/mcp/endpoint/read-message.js';
import { type RunningServer, startServer } from '../support/start-server.js';
import { useServerWithIssuer } from '../support/use-server.js';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Send the body with chunked transfer encoding instead of a Content-Length. */
  readonly chunked?: boolean;
}

/** Every reply this file received, so that one test can check they all carry a request id. */
const replies: Reply[] = [];

/**
 * One request over a fresh connection with exactly the headers given (a custom `Host` included).
 * It settles on the response: a server may answer early and close while the body is still going.
 */
function send(url: string, options: SendOptions = {}): Promise<Reply> {
  const { method = 'POST', headers = {}, body, chunked = false } = options;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const reply = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        };
        replies.push(reply);
        resolve(reply);
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body !== undefined && chunked) {
      const data = Buffer.from(body);
      const step = 64 * 1024;
      for (let at = 0; at < data.length; at += step) req.write(data.subarray(at, at + step));
    } else if (body !== undefined) {
      req.setHeader('content-length', Buffer.byteLength(body));
      req.write(body);
    }
    req.end();
  });
}

const JSON_RPC_HEADERS = {
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-protocol-version': '2025-11-25',
};
const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

function errorCode(reply: Reply): unknown {
  return (JSON.parse(reply.body) as { error?: unknown }).error;
}

/** The comma-separated tokens of a header, lowercased. */
function listOf(value: string | string[] | undefined): string[] {
  return String(value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

const ctx = useServerWithIssuer();
let token: string;
let port: number;

before(async () => {
  await ctx.ready;
  token = await ctx.issuer.sign({ claims: { scope: 'create:todos read:todos delete:todos' } });
  port = Number(new URL(ctx.server.mcpUrl).port);
});

describe('Host check (DNS rebinding)', () => {
  test('a Host that does not name the server gets 403', async () => {
    for (const path of ['/mcp', '/.well-known/oauth-protected-resource/mcp', '/no-such-path']) {
      const reply = await send(`http://127.0.0.1:${port}${path}`, {
        method: path === '/mcp' ? 'POST' : 'GET',
        headers: { ...JSON_RPC_HEADERS, host: `evil.example:${port}`, authorization: `Bearer ${token}` },
        ...(path === '/mcp' && { body: TOOLS_LIST }),
      });
      assert.equal(reply.status, 403, path);
      assert.equal(errorCode(reply), 'forbidden_host');
      assert.equal(reply.headers['www-authenticate'], undefined);
    }
  });

  test('every loopback Host name is accepted while the server listens on loopback', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const reply = await send(`http://127.0.0.1:${port}/mcp`, {
        headers: { ...JSON_RPC_HEADERS, host },
        body: TOOLS_LIST,
      });
      assert.equal(reply.status, 401, `Host: ${host} reaches the bearer check`);
    }
  });

  test('a request with the right Host and a valid token is served', async () => {
    const reply = await send(ctx.server.mcpUrl, {
      headers: { ...JSON_RPC_HEADERS, authorization: `Bearer ${token}` },
      body: TOOLS_LIST,
    });
    assert.equal(reply.status, 200);
    assert.match(reply.body, /"create-todo"/);
  });

  test('health probes answer whatever the Host, as load balancers address instances by IP', async () => {
    const reply = await send(`http://127.0.0.1:${port}/healthz`, {
      method: 'GET',
      headers: { host: `10.0.0.7:${port}` },
    });
    assert.equal(reply.status, 200);
  });
});

describe('Origin check and CORS', () => {
  for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example:3001']) {
    test(`a browser Origin that is not allowed gets 403 without a challenge (${origin})`, async () => {
      for (const authorization of [undefined, `Bearer ${token}`]) {
        const reply = await send(ctx.server.mcpUrl, {
          headers: { ...JSON_RPC_HEADERS, origin, ...(authorization && { authorization }) },
          body: TOOLS_LIST,
        });
        assert.equal(reply.status, 403);
        assert.equal(errorCode(reply), 'forbidden_origin');
        assert.equal(reply.headers['www-authenticate'], undefined);
        assert.equal(reply.headers['access-control-allow-origin'], undefined);
      }
    });
  }

  test('a loopback Origin gets CORS headers on the 401, with WWW-Authenticate exposed', async () => {
    const origin = 'http://localhost:6274';
    const reply = await send(ctx.server.mcpUrl, {
      headers: { ...JSON_RPC_HEADERS, origin },
      body: TOOLS_LIST,
    });
    assert.equal(reply.status, 401);
    assert.ok(reply.headers['www-authenticate']);
    assert.equal(reply.headers['access-control-allow-origin'], origin);
    assert.ok(listOf(reply.headers['access-control-expose-headers']).includes('www-authenticate'));
    assert.ok(listOf(reply.headers.vary).includes('origin'));
  });

  test('a loopback Origin gets CORS headers on a served request too', async () => {
    const origin = 'http://127.0.0.1:5173';
    const reply = await send(ctx.server.mcpUrl, {
      headers: { ...JSON_RPC_HEADERS, origin, authorization: `Bearer ${token}` },
      body: TOOLS_LIST,
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['access-control-allow-origin'], origin);
  });

  test('a preflight from an allowed Origin gets 204 and allows the MCP request headers', async () => {
    const origin = 'http://localhost:6274';
    const reply = await send(ctx.server.mcpUrl, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
      },
    });
    assert.equal(reply.status, 204);
    assert.equal(reply.headers['access-control-allow-origin'], origin);
    assert.ok(listOf(reply.headers['access-control-allow-methods']).includes('post'));
    const allowed = listOf(reply.headers['access-control-allow-headers']);
    for (const header of [
      'authorization',
      'content-type',
      'mcp-protocol-version',
      'mcp-method',
      'mcp-name',
    ]) {
      assert.ok(allowed.includes(header), `preflight allows ${header}`);
    }
  });

  test('a preflight from an Origin that is not allowed gets 403', async () => {
    const reply = await send(ctx.server.mcpUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(reply.status, 403);
    assert.equal(reply.headers['access-control-allow-origin'], undefined);
  });

  describe('with ALLOWED_ORIGINS set to one https origin', () => {
    const allowed = 'https://app.example.com';
    let restricted: RunningServer;
    before(async () => {
      restricted = await startServer(ctx.issuer.issuer, { ALLOWED_ORIGINS: allowed });
    });
    after(async () => {
      await restricted.close();
    });

    test('that origin is allowed, with CORS headers', async () => {
      const reply = await send(restricted.mcpUrl, {
        headers: { ...JSON_RPC_HEADERS, origin: allowed },
        body: TOOLS_LIST,
      });
      assert.equal(reply.status, 401);
      assert.equal(reply.headers['access-control-allow-origin'], allowed);
      const preflight = await send(restricted.mcpUrl, {
        method: 'OPTIONS',
        headers: { origin: allowed, 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 204);
    });

    for (const origin of [
      'http://localhost:6274',
      'http://app.example.com',
      'https://other.example.com',
      'https://app.example.com:8443',
      'https://app.example.com.evil.example',
    ]) {
      test(`any other origin is refused, loopback ones included (${origin})`, async () => {
        const reply = await send(restricted.mcpUrl, {
          headers: { ...JSON_RPC_HEADERS, origin },
          body: TOOLS_LIST,
        });
        assert.equal(reply.status, 403);
        assert.equal(errorCode(reply), 'forbidden_origin');
      });
    }
  });
});

describe('methods and limits on /mcp', () => {
  for (const method of ['GET', 'DELETE', 'PUT']) {
    test(`${method} /mcp gets 405 naming POST as allowed`, async () => {
      for (const authorization of [undefined, `Bearer ${token}`]) {
        const reply = await send(ctx.server.mcpUrl, {
          method,
          headers: { accept: 'application/json, text/event-stream', ...(authorization && { authorization }) },
        });
        assert.equal(reply.status, 405);
        assert.ok(listOf(reply.headers.allow).includes('post'));
      }
    });
  }

  const oversized = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'create-todo', arguments: { content: 'x'.repeat(MAX_BODY_BYTES) } },
  });

  test('a body over 1 MiB with a valid token gets 413 (Content-Length)', async () => {
    assert.ok(MAX_BODY_BYTES <= 1024 * 1024);
    const reply = await send(ctx.server.mcpUrl, {
      headers: { ...JSON_RPC_HEADERS, authorization: `Bearer ${token}` },
      body: oversized,
    });
    assert.equal(reply.status, 413);
  });

  test('a body over 1 MiB with a valid token gets 413 (chunked)', async () => {
    const reply = await send(ctx.server.mcpUrl, {
      headers: { ...JSON_RPC_HEADERS, authorization: `Bearer ${token}` },
      body: oversized,
      chunked: true,
    });
    assert.equal(reply.status, 413);
  });

  test('a body just under the limit is read and answered', async () => {
    const content = 'y'.repeat(9_000);
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'create-todo', arguments: { content } },
    });
    const padded = body.replace('"jsonrpc"', `${' '.repeat(MAX_BODY_BYTES - body.length - 1)}"jsonrpc"`);
    assert.equal(Buffer.byteLength(padded), MAX_BODY_BYTES - 1);
    const reply = await send(ctx.server.mcpUrl, {
      headers: { ...JSON_RPC_HEADERS, authorization: `Bearer ${token}` },
      body: padded,
    });
    assert.equal(reply.status, 200);
    assert.match(reply.body, /"ownerId":"alice"/);
  });
});

describe('health, routing and request ids', () => {
  test('GET /healthz answers 200', async () => {
    const reply = await send(`${ctx.server.origin}/healthz`, { method: 'GET' });
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { status: 'ok' });
  });

  test('GET /readyz answers 200 when the database and the issuer are fine', async () => {
    const reply = await send(`${ctx.server.origin}/readyz`, { method: 'GET' });
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { status: 'ready', checks: { database: 'ok', tokens: 'ok' } });
  });

  for (const path of ['/', '/mcp/', '/mcp/extra', '/todos', '/MCP']) {
    test(`an unknown path gets 404 (${path})`, async () => {
      const reply = await send(`${ctx.server.origin}${path}`, { method: 'GET' });
      assert.equal(reply.status, 404);
    });
  }

  test('a well-formed X-Request-Id is echoed; a malformed one is replaced', async () => {
    const echoed = await send(`${ctx.server.origin}/healthz`, {
      method: 'GET',
      headers: { 'x-request-id': 'trace-42.abc_DEF' },
    });
    assert.equal(echoed.headers['x-request-id'], 'trace-42.abc_DEF');
    const replaced = await send(`${ctx.server.origin}/healthz`, {
      method: 'GET',
      headers: { 'x-request-id': 'bad id; with spaces' },
    });
    assert.ok(replaced.headers['x-request-id']);
    assert.notEqual(replaced.headers['x-request-id'], 'bad id; with spaces');
  });

  test('every response in this file carried an X-Request-Id', () => {
    // Node runs tests in order within a file, so every other test has finished by now.
    assert.ok(replies.length >= 30, `expected the other tests' replies, got ${replies.length}`);
    const missing = replies.filter(
      (r) => typeof r.headers['x-request-id'] !== 'string' || !r.headers['x-request-id'],
    );
    assert.deepEqual(
      missing.map((r) => r.status),
      [],
    );
  });
});
