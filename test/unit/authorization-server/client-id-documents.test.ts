import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFetchableClientId } from '../../../src/authorization-server/client-id-documents.js';

test('as:cimd-ssrf client id documents are fetched only from public https hosts', () => {
  for (const ok of [
    'https://app.example.com/oauth/client.json',
    'https://8.8.8.8/client',
    'https://x.example/c?v=1',
  ]) {
    assert.equal(isFetchableClientId(ok), true, ok);
  }
  for (const refused of [
    'http://app.example.com/client.json',
    'https://localhost/client',
    'https://localhost./client',
    'https://LOCALHOST../client',
    'https://api.localhost./client',
    'https://api.localhost/client',
    'https://127.0.0.1/client',
    'https://10.1.2.3/client',
    'https://172.20.0.1/client',
    'https://192.168.1.1/client',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/client',
    'https://[::1]/client',
    'https://0.0.0.0/client',
    'https://198.18.0.1/client',
    'https://[fd00::1]/client',
    'https://user:pass@app.example.com/client',
    'https://intranet/client',
    'https://printer.local/client',
    'not a url',
  ]) {
    assert.equal(isFetchableClientId(refused), false, refused);
  }
});
