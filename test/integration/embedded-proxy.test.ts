import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { useServer } from '../support/use-server.js';

// As deployed behind a TLS-terminating proxy: the public URL is https, the socket plain http.
const ctx = useServer({ PUBLIC_URL: 'https://todos.example.com' });

function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { port } = ctx.server.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('as:forwarded-host behind a proxy the endpoints follow PUBLIC_URL, not forged X-Forwarded headers', async () => {
  const answer = await get('/.well-known/openid-configuration', {
    host: 'todos.example.com',
    'x-forwarded-host': 'evil.example',
    'x-forwarded-proto': 'http',
  });
  assert.equal(answer.status, 200);
  const doc = JSON.parse(answer.body) as Record<string, unknown>;
  assert.equal(doc.issuer, 'https://todos.example.com');
  assert.equal(doc.authorization_endpoint, 'https://todos.example.com/auth');
  assert.equal(doc.token_endpoint, 'https://todos.example.com/token');
  assert.doesNotMatch(answer.body, /evil\.example|http:\/\/todos/);
});
